package stream

import (
	"errors"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/supervision"
)

// recordingSup is an actor.Supervisor that records its decisions.
type recordingSup struct{ restarted, stopped []*actor.PID }

func (s *recordingSup) Children() []*actor.PID          { return nil }
func (s *recordingSup) EscalateFailure(any, any)        {}
func (s *recordingSup) RestartChildren(p ...*actor.PID) { s.restarted = append(s.restarted, p...) }
func (s *recordingSup) StopChildren(p ...*actor.PID)    { s.stopped = append(s.stopped, p...) }
func (s *recordingSup) ResumeChildren(...*actor.PID)    {}

// TestKeyActorFailureRestartsItAlone: a failed key actor is restarted by
// itself; no input loses its grant, nothing else is stopped.
func TestKeyActorFailureRestartsItAlone(t *testing.T) {
	sys := actor.NewActorSystem()
	keysPID := actor.NewPID("nonhost", "tv/keys$1")
	a := &streamActor{active: -1, cfg: Config{Supervisor: &supervision.RestartWithBackoff{
		Backoff: supervision.Backoff{Max: time.Second, Rand: func(time.Duration) time.Duration { return 0 }},
		Window:  time.Minute,
	}}}
	a.keys.pid = keysPID
	sup := &recordingSup{}
	a.HandleFailure(sys, sup, keysPID, actor.NewRestartStatistics(), errors.New("boom"), nil)
	if len(sup.restarted) != 1 || !sup.restarted[0].Equal(keysPID) || len(sup.stopped) != 0 {
		t.Errorf("restarted %v, stopped %v", sup.restarted, sup.stopped)
	}
}
