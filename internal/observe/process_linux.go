//go:build linux

package observe

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// userHZ is the clock tick /proc counts CPU and start times in, as
// Prometheus' procfs assumes it.
const userHZ = 100

// appendProcessSeries appends the process' series by the names, types
// and help texts of Prometheus' process collector, sorted by name, from
// /proc/self and the resource limits. A source that cannot be read
// leaves its series out, as the collector did.
func appendProcessSeries(b []byte) []byte {
	var fams []scalar
	stat, statOK := readProcStat()
	if statOK {
		fams = append(fams, scalar{"process_cpu_seconds_total", kindCounter,
			"Total user and system CPU time spent in seconds.", stat.cpuSeconds})
	}
	var nofile, as syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile); err == nil {
		fams = append(fams, scalar{"process_max_fds", kindGauge, "Maximum number of open file descriptors.", float64(nofile.Cur)})
	}
	if in, out, ok := readNetOctets(); ok {
		fams = append(fams,
			scalar{"process_network_receive_bytes_total", kindCounter, "Number of bytes received by the process over the network.", in},
			scalar{"process_network_transmit_bytes_total", kindCounter, "Number of bytes sent by the process over the network.", out})
	}
	if n, ok := openFDs(); ok {
		fams = append(fams, scalar{"process_open_fds", kindGauge, "Number of open file descriptors.", float64(n)})
	}
	if statOK {
		fams = append(fams, scalar{"process_resident_memory_bytes", kindGauge, "Resident memory size in bytes.", stat.rss})
		if stat.startOK {
			fams = append(fams, scalar{"process_start_time_seconds", kindGauge,
				"Start time of the process since unix epoch in seconds.", stat.start})
		}
		fams = append(fams, scalar{"process_virtual_memory_bytes", kindGauge, "Virtual memory size in bytes.", stat.vsize})
	}
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &as); err == nil {
		// unlimited is RLIM_INFINITY, 2^64-1, as procfs read "unlimited"
		fams = append(fams, scalar{"process_virtual_memory_max_bytes", kindGauge,
			"Maximum amount of virtual memory available in bytes.", float64(as.Cur)})
	}
	return appendScalars(b, fams)
}

// procStat is what the series take from /proc/self/stat.
type procStat struct {
	cpuSeconds, rss, vsize, start float64
	startOK                       bool
}

// readProcStat reads /proc/self/stat (and /proc/stat's boot time for the
// start time).
func readProcStat() (procStat, bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return procStat{}, false
	}
	// The command name in parentheses may hold spaces; fields count from
	// the state, the third field.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 22 {
		return procStat{}, false
	}
	field := func(n int) float64 { // n as proc(5) numbers them
		v, _ := strconv.ParseUint(f[n-3], 10, 64)
		return float64(v)
	}
	s := procStat{
		cpuSeconds: (field(14) + field(15)) / userHZ,
		vsize:      field(23),
		rss:        field(24) * float64(os.Getpagesize()),
	}
	if boot, ok := bootTime(); ok {
		s.start, s.startOK = boot+field(22)/userHZ, true
	}
	return s, true
}

// bootTime is /proc/stat's btime, the boot time in seconds since the epoch.
func bootTime() (float64, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return float64(n), err == nil
		}
	}
	return 0, false
}

// openFDs counts the entries of /proc/self/fd.
func openFDs() (int, bool) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, false
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	return len(names), err == nil
}

// readNetOctets is IpExt's InOctets and OutOctets in /proc/self/net/netstat
// (0 when a counter is missing, as the collector wrote).
func readNetOctets() (in, out float64, ok bool) {
	data, err := os.ReadFile("/proc/self/net/netstat")
	if err != nil {
		return 0, 0, false
	}
	var header []string
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "IpExt:" {
			continue
		}
		if header == nil {
			header = f
			continue
		}
		for i, name := range header {
			if i >= len(f) {
				break
			}
			v, _ := strconv.ParseFloat(f[i], 64)
			switch name {
			case "InOctets":
				in = v
			case "OutOctets":
				out = v
			}
		}
		return in, out, true
	}
	return 0, 0, true
}
