package config

// parseOnDemand handles `ondemand NAME URL [OPTIONS];`, Flussonic's older
// form of an on-demand stream: the same as `stream NAME { input URL
// [OPTIONS]; static false; }`. A block after it takes the directives of
// a stream. The form is not kept: Print writes any stream that says only
// that in this form (onDemandWords).
func parseOnDemand(p *parser, s *stmt, srv *Server) {
	if len(s.args) == 0 {
		p.wrongArgs(s, 1, "a stream name")
		return
	}
	off := false
	st := Stream{Name: s.args[0].text, pos: s.name.pos, MediaOptions: MediaOptions{Static: &off}}
	if len(s.args) > 1 {
		in := &stmt{name: token{text: "input", pos: s.args[1].pos}, args: s.args[1:]}
		parseInput(p, in, &st.MediaOptions)
	}
	dispatch(p, s.block, streamDirectives, &st)
	srv.Streams = append(srv.Streams, st)
}

// onDemandWords returns the `ondemand NAME URL [OPTIONS]` line of a stream
// that says only that (its name, static false and one input), however it
// was written (the block form, or API JSON, print the same way: the form
// is not part of the model), or nil: it is printed as a stream block.
func onDemandWords(s *Stream) []string {
	if len(s.Inputs) != 1 {
		return nil
	}
	off := false
	short := Stream{Name: s.Name, MediaOptions: MediaOptions{Static: &off, Inputs: s.Inputs}}
	if !short.EqualConfig(s) {
		return nil
	}
	words := inputWords(&s.Inputs[0])
	words[0] = quoteIfNeeded(s.Name)
	return append([]string{"ondemand"}, words...)
}

// onDemandDirective is the top-level `ondemand`, merged into globalDirectives.
var onDemandDirective = map[string]handler[*Server]{"ondemand": parseOnDemand}
