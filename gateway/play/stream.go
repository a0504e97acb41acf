package play

// Output names, as the Control API's play_protocols_spec names them: what
// live.Stream.Enabled is asked.
const (
	ProtoHLS    = "hls"
	ProtoDASH   = "dash"
	ProtoTSHTTP = "tshttp"
	ProtoJPEG   = "jpeg"
	ProtoMSELD  = "mseld"
)
