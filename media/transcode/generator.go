package transcode

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"

	"streamhive/media"
)

// Generator is a filter graph of lavfi sources ("smptebars", "sine") and
// filters with one output, pulled one Raw at a time. See WithGenerator.
type Generator struct {
	graph *astiav.FilterGraph
	sink  *astiav.FilterContext
	frame *astiav.Frame
	raw   Raw
}

// WithGenerator builds the graph described by desc (FFmpeg filtergraph
// syntax, sources included, its one open output producing kind), calls fn
// with it and frees it when fn returns. It returns fn's error.
func WithGenerator(desc string, kind media.Kind, fn func(*Generator) error) error {
	routeLogs()
	graph := astiav.AllocFilterGraph()
	if graph == nil {
		return errors.New("transcode: allocating filter graph")
	}
	defer graph.Free()
	graph.SetThreadCount(1)

	sinkName := "buffersink"
	if kind == media.KindAudio {
		sinkName = "abuffersink"
	}
	sinkFilter := astiav.FindFilterByName(sinkName)
	if sinkFilter == nil {
		return fmt.Errorf("%w: %s", ErrNoFilter, sinkName)
	}
	sink, err := graph.NewFilterContext(sinkFilter, "out", nil)
	if err != nil {
		return fmt.Errorf("transcode: creating %s: %w", sinkName, err)
	}

	inputs := astiav.AllocFilterInOut()
	defer inputs.Free()
	inputs.SetName("out")
	inputs.SetFilterContext(sink)
	inputs.SetPadIdx(0)
	inputs.SetNext(nil)
	if err := graph.Parse(desc, inputs, nil); err != nil {
		return fmt.Errorf("transcode: parsing filter graph %q: %w", desc, err)
	}
	if err := graph.Configure(); err != nil {
		return fmt.Errorf("transcode: configuring filter graph %q: %w", desc, err)
	}

	frame := astiav.AllocFrame()
	defer frame.Free()
	g := &Generator{graph: graph, sink: sink, frame: frame}
	g.raw = Raw{f: frame, tb: sink.Inputs()[0].TimeBase()}
	return fn(g)
}

// Next returns the graph's next output, valid until the next call.
func (g *Generator) Next() (*Raw, error) {
	g.frame.Unref()
	if err := g.sink.BuffersinkGetFrame(g.frame, astiav.NewBuffersinkFlags()); err != nil {
		if errors.Is(err, astiav.ErrEof) {
			return nil, ErrEndOfStream
		}
		return nil, fmt.Errorf("transcode: pulling from filter graph: %w", err)
	}
	return &g.raw, nil
}
