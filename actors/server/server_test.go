package server_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/valyala/fasthttp/fasthttputil"

	"streamhive/actors/config"
	"streamhive/actors/configowner"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/server"
	"streamhive/media"
)

const confText = `
http 8080;

stream a {
  input publish://;
}

stream b {
  input publish://;
}
`

func writeConf(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "streamhive.conf")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func startServer(t *testing.T, opts server.Options) *server.Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = kittest.Logger(t)
	}
	if opts.Listen == nil {
		// A real socket would keep a synctest bubble from ever being idle.
		opts.Listen = memListen
		opts.NoSRT = true // gosrt's UDP sockets would too
	}
	s, err := server.Start(opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Stop(context.Background()); err != nil {
			t.Errorf("Stop: %v", err)
		}
		time.Sleep(time.Minute) // let protoactor's dead-letter throttle timers end
	})
	return s
}

// memListen opens an in-memory listener, whose Accept blocks durably
// inside a synctest bubble.
func memListen(string, string) (net.Listener, error) {
	return fasthttputil.NewInmemoryListener(), nil
}

func lifetime(t *testing.T, s *server.Server, name string) int64 {
	t.Helper()
	st, ok := s.Stats(name)
	if !ok {
		t.Fatalf("no stats for %q", name)
	}
	return st.Lifetime.Milliseconds()
}

// TestWritesAndReloadsKeepUnchangedStreams runs the whole tree: an API
// write and a reload touch only the streams they change; the others keep
// running (their lifetime keeps growing).
func TestWritesAndReloadsKeepUnchangedStreams(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := writeConf(t, confText)
		s := startServer(t, server.Options{ConfigPath: path})
		synctest.Wait()
		if !s.Ready() {
			t.Fatalf("not ready after Start")
		}
		if st, ok := s.Stats("a"); !ok || st.State != "waiting" || st.Inputs[0].State != "waiting" {
			t.Fatalf("stream a stats = %+v, want waiting on publish://", st)
		}

		time.Sleep(time.Minute)
		ctx := context.Background()
		if err := s.Apply(ctx, config.PutStream{Name: "b", Patch: []byte(`{"title":"Bee"}`)}); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if err := s.Apply(ctx, config.PutStream{Name: "c", Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}); err != nil {
			t.Fatalf("Apply: %v", err)
		}
		synctest.Wait()
		if got := lifetime(t, s, "a"); got != 60_000 {
			t.Errorf("a lifetime after API writes = %d, want 60000", got)
		}
		if got := lifetime(t, s, "b"); got != 60_000 {
			t.Errorf("b lifetime after a title change = %d, want 60000", got)
		}
		if got := lifetime(t, s, "c"); got != 0 {
			t.Errorf("new stream c lifetime = %d, want 0", got)
		}
		if st, _ := s.Config().Stream("b"); st.Title != "Bee" {
			t.Errorf("Config() does not show the new title")
		}

		// The writes were persisted: the file now has c. A reload that
		// changes a's input restarts a's inputs, not a.
		onDisk, err := config.Load(path)
		if err != nil {
			t.Fatalf("persisted file: %v", err)
		}
		if _, ok := onDisk.Stream("c"); !ok {
			t.Errorf("persisted file lacks stream c")
		}
		time.Sleep(time.Minute)
		text := string(config.Print(onDisk))
		text = replaceOnce(t, text, "stream a {\n  input publish://;", "stream a {\n  input publish://;\n  input publish://?second;")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := s.Reload(ctx); err != nil {
			t.Fatalf("Reload: %v", err)
		}
		synctest.Wait()
		if st, _ := s.Stats("a"); st.Lifetime != 2*time.Minute || len(st.Inputs) != 2 {
			t.Errorf("a after reload: lifetime %v, %d inputs; want 2m, 2", st.Lifetime, len(st.Inputs))
		}
		if got := lifetime(t, s, "c"); got != 60_000 {
			t.Errorf("c lifetime after reload = %d, want 60000", got)
		}

		// A broken file changes nothing.
		if err := os.WriteFile(path, []byte("stream a {"), 0o600); err != nil {
			t.Fatal(err)
		}
		before := s.Config()
		if err := s.Reload(ctx); !errors.Is(err, config.ErrInvalid) {
			t.Errorf("Reload of a broken file = %v, want ErrInvalid", err)
		}
		if s.Config() != before {
			t.Errorf("a failed reload replaced the configuration")
		}
	})
}

func replaceOnce(t *testing.T, s, old, repl string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not found in:\n%s", old, s)
	}
	return strings.Replace(s, old, repl, 1)
}

func TestStopStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startServer(t, server.Options{ConfigPath: writeConf(t, confText)})
		// Every configured stream has stats as soon as Start returns.
		for _, name := range []string{"a", "b"} {
			if _, ok := s.Stats(name); !ok {
				t.Errorf("no stats for %q right after Start", name)
			}
		}
		time.Sleep(time.Minute)
		if err := s.StopStream(context.Background(), "a"); err != nil {
			t.Fatalf("StopStream: %v", err)
		}
		synctest.Wait()
		if got := lifetime(t, s, "a"); got != 0 {
			t.Errorf("a lifetime after StopStream = %d, want 0", got)
		}
		if got := lifetime(t, s, "b"); got != 60_000 {
			t.Errorf("b lifetime = %d, want 60000", got)
		}
		if err := s.StopStream(context.Background(), "nope"); !errors.Is(err, config.ErrNotFound) {
			t.Errorf("StopStream(nope) = %v, want ErrNotFound", err)
		}
	})
}

// onePuller publishes one frame and waits.
type onePuller struct{}

func (onePuller) Pull(ctx context.Context, _ string, _ map[string]string, publish func([]media.Track) (media.Sink, error)) error {
	sink, err := publish([]media.Track{{Codec: media.CodecH264}})
	if err != nil {
		return err
	}
	sink.WriteFrame(&media.Frame{Keyframe: true, Data: [][]byte{make([]byte, 188)}})
	media.InputStatsFrom(ctx).Bytes.Add(188)
	<-ctx.Done()
	return nil
}

func TestEmbeddedDefault(t *testing.T) {
	t.Run("fake not registered", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s := startServer(t, server.Options{})
			synctest.Wait()
			st, ok := s.Stats("demo")
			if !ok {
				t.Fatalf("no demo stream")
			}
			if st.State != "error" || st.Inputs[0].LastError != "input fake:// not supported yet" {
				t.Errorf("demo stats = %+v, want error, input fake:// not supported yet", st)
			}
			if err := s.Reload(context.Background()); !errors.Is(err, configowner.ErrNoFile) {
				t.Errorf("Reload without a file = %v, want ErrNoFile", err)
			}
		})
	})
	t.Run("fake registered", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			s := startServer(t, server.Options{Pullers: input.Pullers{"fake": onePuller{}}})
			synctest.Wait()
			st, _ := s.Stats("demo")
			if !st.Alive || st.State != "running" || st.Inputs[0].Bytes != 188 || st.Active != 0 {
				t.Errorf("demo stats = %+v, want alive, running, 188 bytes from input 0", st)
			}
		})
	})
}

func TestStartRejectsABrokenConfig(t *testing.T) {
	_, err := server.Start(server.Options{ConfigPath: writeConf(t, "stream a { inptu publish://; }"), Logger: kittest.Logger(t)})
	if !errors.Is(err, config.ErrInvalid) {
		t.Errorf("Start with a broken config = %v, want ErrInvalid", err)
	}
	_, err = server.Start(server.Options{ConfigPath: filepath.Join(t.TempDir(), "missing.conf"), Logger: kittest.Logger(t)})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Start with a missing config = %v, want ErrNotExist", err)
	}
}

// TestStartTakesTheParsedConfig: a configuration passed in is not parsed
// again; the file is read again only by Reload.
func TestStartTakesTheParsedConfig(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		path := writeConf(t, confText)
		cfg, err := server.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("stream a { inptu publish://; }"), 0o600); err != nil {
			t.Fatal(err)
		}
		s := startServer(t, server.Options{ConfigPath: path, Config: cfg})
		if _, ok := s.Stats("b"); !ok || s.Config() != cfg {
			t.Fatalf("the server does not run the configuration it was given")
		}
		if err := s.Reload(context.Background()); !errors.Is(err, config.ErrInvalid) {
			t.Errorf("Reload of the broken file = %v, want ErrInvalid", err)
		}
	})
}

func TestStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := server.Start(server.Options{ConfigPath: writeConf(t, confText), Logger: kittest.Logger(t)})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		if s.Ready() {
			t.Errorf("ready after Stop")
		}
		if err := s.Apply(ctx, config.DeleteStream{Name: "a"}); !errors.Is(err, kit.ErrActorGone) {
			t.Errorf("Apply after Stop = %v, want ErrActorGone", err)
		}
		if err := s.Stop(ctx); err != nil {
			t.Errorf("second Stop = %v", err)
		}
		time.Sleep(time.Minute)
	})
}
