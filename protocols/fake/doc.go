// Package fake implements the fake:// input: a generated test pattern
// (SMPTE colour bars, a moving box, the wall-clock time and the stream name
// burned in, and a 1 kHz tone), encoded to H.264 + AAC in real time. The
// burned-in clock is the time the frame was due, so glass-to-glass latency
// can be read off a player by comparing it with a clock.
//
// Options go in the URL query:
//
//	fake://?size=640x360&fps=25&gop=25&tone=1000&name=demo
//
// size (default 640x360), fps (default 25), gop (frames between keyframes,
// default fps: one per second), bitrate (video bits per second, default
// x264's CRF), tone (Hz, default 1000; 0 for silence), name (the label
// burned in; default Puller.Name, else the URL's host).
//
// Cost: libx264 ultrafast/zerolatency on one thread plus the filter graph;
// the default 640x360 at 25 fps with the tone took 0.44 s of CPU for a 5 s
// pull (getrusage around Pull on the 2-core build machine, setup included),
// about 9% of one core, so a 2-core CI machine runs a handful of fake
// streams comfortably. Smaller sizes cost proportionally less.
//
// It imports media and media/transcode only.
package fake
