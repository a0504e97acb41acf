package monitor

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"streamhive/media/stats"
)

// Rule names: the alert field of alert_fired and alert_cleared.
const (
	RuleInputErrors      = "input_errors"      // an input's error rate over the threshold
	RuleSourceLost       = "source_lost"       // a configured input is down while the stream runs on another
	RuleAllInputsDown    = "all_inputs_down"   // a stream with inputs has none running
	RuleTranscoderBehind = "transcoder_behind" // a transcoder slower than real time
	RuleDVRDiskFull      = "dvr_disk_full"     // a DVR disk nearly full, full or failing
	RulePushFailing      = "push_failing"      // a push target failing
	RuleServerOverload   = "server_overload"   // the process uses most of the CPU
)

// Rules are the thresholds and how long each condition must hold before
// its alert fires. DefaultRules has the values the server runs with.
type Rules struct {
	InputErrorsPerMinute float64
	InputErrorsFor       time.Duration
	SourceLostFor        time.Duration
	AllInputsDownFor     time.Duration
	TranscoderSpeed      float64 // below this times real time
	TranscoderFor        time.Duration
	DiskUsagePercent     int
	DiskFor              time.Duration
	PushFailingFor       time.Duration
	CPU                  float64 // 0..1
	CPUFor               time.Duration
}

// DefaultRules returns the rules the server runs with: what an operator would be paged for.
func DefaultRules() Rules {
	return Rules{
		InputErrorsPerMinute: 10, InputErrorsFor: time.Minute,
		SourceLostFor: 10 * time.Second, AllInputsDownFor: 10 * time.Second,
		TranscoderSpeed: 0.95, TranscoderFor: 30 * time.Second,
		DiskUsagePercent: 90, DiskFor: time.Minute,
		PushFailingFor: 30 * time.Second,
		CPU:            0.9, CPUFor: time.Minute,
	}
}

// Condition is one rule's condition holding for one subject now.
type Condition struct {
	Rule    string        `json:"rule"`
	Media   string        `json:"media,omitempty"`   // the stream; "" for the server's
	Subject string        `json:"subject,omitempty"` // what in it: "input 1", "push 2", a disk's path
	Value   float64       `json:"value"`
	Message string        `json:"message"`
	For     time.Duration `json:"-"` // how long it must hold to fire
}

// Key identifies the alert a condition belongs to.
func (c Condition) Key() string { return c.Rule + "\x00" + c.Media + "\x00" + c.Subject }

// Conditions are the rules' conditions that hold in cur (prev, the
// sample before, gives rates; nil at the first). Pure.
func (r Rules) Conditions(prev, cur *Sample) []Condition {
	var out []Condition
	for name, st := range cur.Streams {
		if st.State == "stopped" {
			continue // an on-demand stream asleep: nothing is expected of it
		}
		running, pulled := 0, 0
		for i := range st.Inputs {
			in := &st.Inputs[i]
			subject := "input " + strconv.Itoa(i)
			published := i < len(cur.URLs[name]) && strings.HasPrefix(cur.URLs[name][i], "publish://")
			if !published {
				pulled++
			}
			if in.State == "running" {
				running++
			} else if st.Alive && !published {
				out = append(out, Condition{
					Rule: RuleSourceLost, Media: name, Subject: subject, For: r.SourceLostFor,
					Message: "input " + strconv.Itoa(i) + " is down: " + in.LastError,
				})
			}
			if rate, ok := errorRate(prev, name, i, in, cur.Time); ok && rate > r.InputErrorsPerMinute {
				out = append(out, Condition{
					Rule: RuleInputErrors, Media: name, Subject: subject, Value: rate,
					For: r.InputErrorsFor, Message: fmt.Sprintf("%.0f errors a minute", rate),
				})
			}
		}
		if pulled > 0 && running == 0 { // a publisher's absence is publish_stopped, not an alert
			out = append(out, Condition{
				Rule: RuleAllInputsDown, Media: name, For: r.AllInputsDownFor,
				Message: "no input is running",
			})
		}
		if t := st.Transcoder; t != nil && (t.State == "error" || t.State == "running" && t.Speed > 0 && t.Speed < r.TranscoderSpeed) {
			out = append(out, Condition{
				Rule: RuleTranscoderBehind, Media: name, Value: t.Speed, For: r.TranscoderFor,
				Message: fmt.Sprintf("transcoder at %.2fx real time (%s)", t.Speed, t.State),
			})
		}
		for i, p := range st.Pushes {
			if p != nil && (p.State == "retry" || p.State == "error") {
				out = append(out, Condition{
					Rule: RulePushFailing, Media: name, Subject: "push " + strconv.Itoa(i),
					Value: float64(p.Retries), For: r.PushFailingFor, Message: "push failing: " + p.LastError,
				})
			}
		}
	}
	for _, d := range cur.Disks {
		if d.Usage >= r.DiskUsagePercent || d.State != "ok" && d.State != "" {
			out = append(out, Condition{
				Rule: RuleDVRDiskFull, Subject: d.Path, Value: float64(d.Usage), For: r.DiskFor,
				Message: fmt.Sprintf("DVR disk %d%% used (%s)", d.Usage, d.State),
			})
		}
	}
	if cur.CPU >= r.CPU {
		out = append(out, Condition{
			Rule: RuleServerOverload, Value: cur.CPU, For: r.CPUFor,
			Message: fmt.Sprintf("CPU %.0f%%", cur.CPU*100),
		})
	}
	return out
}

// errorRate is input i's errors a minute between prev and now; false
// without a previous sample of the same input.
func errorRate(prev *Sample, name string, i int, in *stats.Input, now time.Time) (float64, bool) {
	if prev == nil {
		return 0, false
	}
	p, ok := prev.Streams[name]
	dt := now.Sub(prev.Time)
	if !ok || i >= len(p.Inputs) || dt <= 0 {
		return 0, false
	}
	d := inputErrors(in) - inputErrors(&p.Inputs[i])
	return max(float64(d), 0) / dt.Minutes(), true
}
