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
			p.knownOption(a, "input", &in.Options, &in.optPos)
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
			p.knownOption(a, "push", &ps.Options, &ps.optPos)
		case !a.option && a.text == "multicast_loop":
			// The documented bare flag: the same as multicast_loop=true.
			a.option, a.key, a.val = true, a.text, "true"
			p.knownOption(a, "push", &ps.Options, &ps.optPos)
		default:
			p.knownOption(a, "push", &ps.Options, &ps.optPos)
		}
	}
	m.Pushes = append(m.Pushes, ps)
}

// knownOption stores a KEY=VALUE argument of an input or push (what) in
// opts, and where it was read in at. An option the grammar table does
// not list for what is an error, as is a bare word that is not a flag.
func (p *parser) knownOption(a token, what string, opts *map[string]string, at *map[string]position) {
	if !a.option || a.key == "" {
		p.errorf(a.pos, "unknown %s option %s", what, a.describe())
		return
	}
	if !known(what + " " + a.key + "=") {
		p.errorf(a.pos, "unknown %s option %s", what, quoteIfNeeded(a.key))
		return
	}
	if *opts == nil {
		*opts, *at = map[string]string{}, map[string]position{}
	}
	(*opts)[a.key] = a.val
	(*at)[a.key] = a.pos
}

func (p *parser) intOption(a token, dst *int) {
	n, err := parseInt(a.val)
	if err != nil {
		p.errorf(a.valPos(), "%s: %v", a.key, err)
		return
	}
	*dst = n
}
