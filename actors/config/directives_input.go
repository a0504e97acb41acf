package config

// parseInput handles `input URL [backup] [standby] [priority=N]
// [source_timeout=N|false] [return_after=N|false] [error_threshold=N]
// [KEY=VALUE ...];` (alias `url`). Inputs are
// tried in the order written unless priority= says otherwise; other
// key=value pairs are protocol options (passphrase, streamid, ...).
func parseInput(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 1, -1, "a source URL") {
		return
	}
	in := Input{URL: s.args[0].text, pos: s.args[0].pos}
	for _, a := range s.args[1:] {
		switch {
		case !a.option && a.text == "backup":
			in.Backup = true
		case !a.option && a.text == "standby":
			in.Standby = true
		case a.option && a.key == "priority":
			if n, err := parseInt(a.val); err != nil {
				p.errorf(a.valPos(), "priority: %v", err)
			} else {
				in.Priority = &n
			}
		case a.option && a.key == "source_timeout":
			in.SourceTimeout = p.timeout(a, a.val)
		case a.option && a.key == "return_after":
			in.ReturnAfter = p.timeoutNamed(a, a.val, "return_after")
		case a.option && a.key == "error_threshold":
			p.intOption(a, &in.ErrorThreshold)
		default:
			p.option(a, &in.Options, "input",
				"backup, standby, priority=N, source_timeout=N, return_after=N, error_threshold=N or KEY=VALUE")
		}
	}
	m.Inputs = append(m.Inputs, in)
}

// parsePush handles `push URL [disabled] [retry_limit=N] [retry_timeout=N]
// [tracks=IDS] [KEY=VALUE ...];`. tracks= is kept with the options (the
// API's stream_push has no field for it); its ids are checked here, where
// the value's position is known, and its fit to the URL by Validate.
func parsePush(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 1, -1, "a target URL") {
		return
	}
	ps := Push{URL: s.args[0].text, pos: s.args[0].pos}
	for _, a := range s.args[1:] {
		switch {
		case !a.option && a.text == "disabled":
			ps.Disabled = true
		case a.option && a.key == "retry_limit":
			p.intOption(a, &ps.RetryLimit)
		case a.option && a.key == "retry_timeout":
			if n, err := ParseDuration(a.val); err != nil {
				p.errorf(a.valPos(), "retry_timeout: %v", err)
			} else {
				ps.RetryTimeout = n
			}
		case a.option && a.key == PushTracksOption:
			if _, err := ParseTrackIDs(a.val); err != nil {
				p.errorf(a.valPos(), "tracks: %v", err)
			}
			p.option(a, &ps.Options, "push", "")
		default:
			p.option(a, &ps.Options, "push", "disabled, retry_limit=N, retry_timeout=N, tracks=IDS or KEY=VALUE")
		}
	}
	m.Pushes = append(m.Pushes, ps)
}

// option stores a KEY=VALUE argument in opts, or reports a bare word that
// is not a known flag.
func (p *parser) option(a token, opts *map[string]string, what, want string) {
	if !a.option || a.key == "" {
		p.errorf(a.pos, "unknown %s option %s; want %s", what, a.describe(), want)
		return
	}
	if *opts == nil {
		*opts = map[string]string{}
	}
	(*opts)[a.key] = a.val
}

func (p *parser) intOption(a token, dst *int) {
	n, err := parseInt(a.val)
	if err != nil {
		p.errorf(a.valPos(), "%s: %v", a.key, err)
		return
	}
	*dst = n
}
