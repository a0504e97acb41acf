package config

// Apply replaces the whole configuration with the parsed text.
func (c ReplaceText) Apply(s *Server) error {
	n, err := Parse(c.Filename, c.Text)
	if err != nil {
		return invalid(err)
	}
	*s = *n
	return s.validateChange()
}
