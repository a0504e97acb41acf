package transcode

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/asticode/go-astiav"

	"streamhive/media"
)

// filterGraph is a filter graph fed from one buffer source, labelled [in]
// in its description, with n sinks labelled [out0]..[out<n-1>]. A ladder
// pushes each decoded picture once and pulls every rendition's pictures
// from its own sink.
type filterGraph struct {
	graph *astiav.FilterGraph
	src   *astiav.FilterContext
	sinks []*astiav.FilterContext
	frame *astiav.Frame
	raws  []Raw // one per sink, sharing frame
}

// openFilterGraph builds the graph whose source takes Raws described by
// srcArgs (the buffer or abuffer filter's options). free releases it; on
// error nothing is left allocated.
func openFilterGraph(kind media.Kind, srcArgs astiav.FilterArgs, desc string, n int) (g *filterGraph, err error) {
	routeLogs()
	srcName, sinkName := "buffer", "buffersink"
	if kind == media.KindAudio {
		srcName, sinkName = "abuffer", "abuffersink"
	}
	srcFilter, sinkFilter := astiav.FindFilterByName(srcName), astiav.FindFilterByName(sinkName)
	if srcFilter == nil || sinkFilter == nil {
		return nil, fmt.Errorf("%w: %s or %s", ErrNoFilter, srcName, sinkName)
	}
	graph := astiav.AllocFilterGraph()
	if graph == nil {
		return nil, errors.New("transcode: allocating filter graph")
	}
	defer func() {
		if err != nil {
			graph.Free()
		}
	}()
	graph.SetThreadCount(1)
	src, err := graph.NewFilterContext(srcFilter, "in", srcArgs)
	if err != nil {
		return nil, fmt.Errorf("transcode: creating %s %s: %w", srcName, srcArgs, err)
	}
	g = &filterGraph{graph: graph, src: src}

	// Parse links the description's open input [in] to outputs (our
	// source) and its open outputs [outI] to inputs (our sinks). It takes
	// both lists over and leaves what it did not link for us to free.
	outputs := astiav.AllocFilterInOut()
	defer outputs.Free()
	outputs.SetName("in")
	outputs.SetFilterContext(src)
	outputs.SetPadIdx(0)
	outputs.SetNext(nil)
	var inputs, last *astiav.FilterInOut
	for i := range n {
		name := "out" + strconv.Itoa(i)
		sink, err := graph.NewFilterContext(sinkFilter, name, nil)
		if err != nil {
			return nil, fmt.Errorf("transcode: creating %s: %w", sinkName, err)
		}
		g.sinks = append(g.sinks, sink)
		io := astiav.AllocFilterInOut()
		io.SetName(name)
		io.SetFilterContext(sink)
		io.SetPadIdx(0)
		io.SetNext(nil)
		if last == nil {
			inputs = io
		} else {
			last.SetNext(io)
		}
		last = io
	}
	if inputs != nil {
		defer inputs.Free() // frees the chain
	}
	if err := graph.Parse(desc, inputs, outputs); err != nil {
		return nil, fmt.Errorf("transcode: parsing filter graph %q: %w", desc, err)
	}
	if err := graph.Configure(); err != nil {
		return nil, fmt.Errorf("transcode: configuring filter graph %q: %w", desc, err)
	}
	g.frame = astiav.AllocFrame()
	for _, s := range g.sinks {
		g.raws = append(g.raws, Raw{f: g.frame, tb: s.Inputs()[0].TimeBase()})
	}
	return g, nil
}

func (g *filterGraph) free() {
	g.frame.Free()
	g.graph.Free()
}

// push feeds r to the graph; r stays the caller's.
func (g *filterGraph) push(r *Raw) error {
	if err := g.src.BuffersrcAddFrame(r.f, astiav.NewBuffersrcFlags(astiav.BuffersrcFlagKeepRef)); err != nil {
		return fmt.Errorf("transcode: feeding filter graph: %w", err)
	}
	return nil
}

// pull calls fn with every Raw sink i has ready; each is valid during
// the call only.
func (g *filterGraph) pull(i int, fn func(*Raw) error) error {
	for {
		err := g.sinks[i].BuffersinkGetFrame(g.frame, astiav.NewBuffersinkFlags())
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("transcode: pulling from filter graph: %w", err)
		}
		err = fn(&g.raws[i])
		g.frame.Unref()
		if err != nil {
			return err
		}
	}
}

// videoSourceArgs describes pictures like r to a buffer source.
func videoSourceArgs(r *Raw) astiav.FilterArgs {
	sar := r.f.SampleAspectRatio()
	if sar.Num() <= 0 || sar.Den() <= 0 {
		sar = astiav.NewRational(1, 1)
	}
	return astiav.FilterArgs{
		"video_size":   fmt.Sprintf("%dx%d", r.f.Width(), r.f.Height()),
		"pix_fmt":      strconv.Itoa(int(r.f.PixelFormat())),
		"time_base":    r.tb.String(),
		"pixel_aspect": sar.String(),
	}
}

// audioSourceArgs describes blocks of samples like r to an abuffer source.
func audioSourceArgs(r *Raw) astiav.FilterArgs {
	return astiav.FilterArgs{
		"sample_rate":    strconv.Itoa(r.f.SampleRate()),
		"sample_fmt":     r.f.SampleFormat().Name(),
		"channel_layout": r.f.ChannelLayout().String(),
		"time_base":      r.tb.String(),
	}
}
