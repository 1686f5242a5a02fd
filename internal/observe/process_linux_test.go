//go:build linux

package observe

import (
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// TestProcessSeries: on Linux the process_* families are those
// Prometheus' process collector wrote, sorted by name, with plausible
// values: memory in use, a start within the last hour, the open files
// counted, the limits getrlimit reports.
func TestProcessSeries(t *testing.T) {
	fams, order := parseScrape(t)
	var procOrder []string
	for _, name := range order {
		if strings.HasPrefix(name, "process_") {
			procOrder = append(procOrder, name)
		}
	}
	want := []string{"process_cpu_seconds_total", "process_max_fds", "process_network_receive_bytes_total",
		"process_network_transmit_bytes_total", "process_open_fds", "process_resident_memory_bytes",
		"process_start_time_seconds", "process_virtual_memory_bytes", "process_virtual_memory_max_bytes"}
	if !slices.Equal(procOrder, want) {
		t.Errorf("process_* families %q, want %q", procOrder, want)
	}
	for _, name := range want {
		typ := dto.MetricType_GAUGE
		if strings.HasSuffix(name, "_total") {
			typ = dto.MetricType_COUNTER
		}
		if f := fams[name]; f.GetType() != typ || f.GetHelp() == "" {
			t.Errorf("%s: %v with help %q, want a %v with help", name, f.GetType(), f.GetHelp(), typ)
		}
	}
	rss, vsize := value(t, fams, "process_resident_memory_bytes"), value(t, fams, "process_virtual_memory_bytes")
	if rss <= 0 || vsize < rss {
		t.Errorf("resident memory %v, virtual %v", rss, vsize)
	}
	if start := time.Unix(int64(value(t, fams, "process_start_time_seconds")), 0); time.Since(start) > time.Hour || time.Until(start) > 2*time.Second {
		t.Errorf("process_start_time_seconds = %v, not within the last hour", start)
	}
	if cpu := value(t, fams, "process_cpu_seconds_total"); cpu < 0 {
		t.Errorf("process_cpu_seconds_total = %v", cpu)
	}
	var nofile, as syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &as); err != nil {
		t.Fatal(err)
	}
	if got := value(t, fams, "process_max_fds"); got != float64(nofile.Cur) {
		t.Errorf("process_max_fds = %v, getrlimit says %d", got, nofile.Cur)
	}
	if got := value(t, fams, "process_virtual_memory_max_bytes"); got != float64(as.Cur) {
		t.Errorf("process_virtual_memory_max_bytes = %v, getrlimit says %d", got, as.Cur)
	}

	before := value(t, fams, "process_open_fds")
	for range 5 {
		f, err := os.Open(os.DevNull)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
	}
	fams, _ = parseScrape(t)
	if after := value(t, fams, "process_open_fds"); before < 3 || after < before+5 || after > value(t, fams, "process_max_fds") {
		t.Errorf("process_open_fds = %v, then %v after opening 5 files", before, after)
	}
}
