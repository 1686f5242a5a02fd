package observe

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"
)

// scalar is a family of one unlabelled sample.
type scalar struct {
	name, kind, help string
	value            float64
}

// appendScalars appends each family, HELP and TYPE lines first.
func appendScalars(b []byte, fams []scalar) []byte {
	for _, f := range fams {
		b = appendHeader(b, f.name, f.kind, f.help)
		b = appendNumber(appendSeries(b, f.name, ""), f.value)
	}
	return b
}

// appendGoSeries appends the Go runtime's series by the names, types and
// help texts of Prometheus' Go collector (client_golang's default: the
// base collector, the memstats and the GOGC, GOMEMLIMIT and GOMAXPROCS
// settings), sorted by name. It reads runtime.MemStats and
// debug.GCStats, never runtime/metrics, whose package init costs every
// start of polar-mcp, metrics listener or not.
func appendGoSeries(b []byte) []byte {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	var gc debug.GCStats
	gc.PauseQuantiles = make([]time.Duration, 5) // min, 25%, 50%, 75%, max
	debug.ReadGCStats(&gc)
	threads, _ := runtime.ThreadCreateProfile(nil)

	b = appendHeader(b, "go_gc_duration_seconds", kindSummary,
		"A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.")
	for i, q := range gc.PauseQuantiles {
		b = append(b, `go_gc_duration_seconds{quantile="`...)
		b = strconv.AppendFloat(b, float64(i)/4, 'g', -1, 64)
		b = appendNumber(append(b, `"} `...), q.Seconds())
	}
	b = appendNumber(append(b, "go_gc_duration_seconds_sum "...), gc.PauseTotal.Seconds())
	b = appendNumber(append(b, "go_gc_duration_seconds_count "...), float64(gc.NumGC))

	const sourced = " Sourced from "
	b = appendScalars(b, []scalar{
		{"go_gc_gogc_percent", kindGauge, "Heap size target percentage configured by the user, otherwise 100. " +
			"This value is set by the GOGC environment variable, and the runtime/debug.SetGCPercent function." +
			sourced + "/gc/gogc:percent.", gogcPercent(os.Getenv("GOGC"))},
		{"go_gc_gomemlimit_bytes", kindGauge, "Go runtime memory limit configured by the user, otherwise math.MaxInt64. " +
			"This value is set by the GOMEMLIMIT environment variable, and the runtime/debug.SetMemoryLimit function." +
			sourced + "/gc/gomemlimit:bytes.", float64(debug.SetMemoryLimit(-1))}, // a negative limit only reads it
		{"go_goroutines", kindGauge, "Number of goroutines that currently exist.", float64(runtime.NumGoroutine())},
	})
	b = appendHeader(b, "go_info", kindGauge, "Information about the Go environment.")
	b = append(appendSeries(b, "go_info", labelPairs([]string{"version"}, []string{runtime.Version()})), "1\n"...)
	b = appendScalars(b, memStats(&ms, gc.LastGC))
	return appendScalars(b, []scalar{
		{"go_sched_gomaxprocs_threads", kindGauge, "The current runtime.GOMAXPROCS setting, or the number of operating " +
			"system threads that can execute user-level Go code simultaneously." + sourced + "/sched/gomaxprocs:threads.",
			float64(runtime.GOMAXPROCS(0))},
		{"go_threads", kindGauge, "Number of OS threads created.", float64(threads)},
	})
}

// gogcPercent is the GOGC setting as the runtime reads it from the
// environment (polar-mcp never calls debug.SetGCPercent, which reads
// only by writing): 100 unless set, and off or a negative value is -1,
// which runtime/metrics and so the Prometheus collector reported as an
// unsigned integer (2^64-1).
func gogcPercent(env string) float64 {
	if env == "off" {
		return math.MaxUint64
	}
	n, err := strconv.ParseInt(env, 10, 32)
	switch {
	case err != nil:
		return 100
	case n < 0:
		return math.MaxUint64
	}
	return float64(n)
}

// memStats are the go_memstats_* series, sorted by name.
func memStats(ms *runtime.MemStats, lastGC time.Time) []scalar {
	g := func(name, help string, v uint64) scalar {
		return scalar{"go_memstats_" + name, kindGauge, help, float64(v)}
	}
	c := func(name, help string, v uint64) scalar {
		return scalar{"go_memstats_" + name, kindCounter, help, float64(v)}
	}
	return []scalar{
		g("alloc_bytes", "Number of bytes allocated in heap and currently in use. Equals to /memory/classes/heap/objects:bytes.", ms.Alloc),
		c("alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already. Equals to /gc/heap/allocs:bytes.", ms.TotalAlloc),
		g("buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table. Equals to /memory/classes/profiling/buckets:bytes.", ms.BuckHashSys),
		c("frees_total", "Total number of heap objects frees. Equals to /gc/heap/frees:objects + /gc/heap/tiny/allocs:objects.", ms.Frees),
		g("gc_sys_bytes", "Number of bytes used for garbage collection system metadata. Equals to /memory/classes/metadata/other:bytes.", ms.GCSys),
		g("heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", ms.HeapAlloc),
		g("heap_idle_bytes", "Number of heap bytes waiting to be used. Equals to /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", ms.HeapIdle),
		g("heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", ms.HeapInuse),
		g("heap_objects", "Number of currently allocated objects. Equals to /gc/heap/objects:objects.", ms.HeapObjects),
		g("heap_released_bytes", "Number of heap bytes released to OS. Equals to /memory/classes/heap/released:bytes.", ms.HeapReleased),
		g("heap_sys_bytes", "Number of heap bytes obtained from system. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes + /memory/classes/heap/released:bytes + /memory/classes/heap/free:bytes.", ms.HeapSys),
		{"go_memstats_last_gc_time_seconds", kindGauge, "Number of seconds since 1970 of last garbage collection.", float64(lastGC.UnixNano()) / 1e9},
		c("mallocs_total", "Total number of heap objects allocated, both live and gc-ed. Semantically a counter version for go_memstats_heap_objects gauge. Equals to /gc/heap/allocs:objects + /gc/heap/tiny/allocs:objects.", ms.Mallocs),
		g("mcache_inuse_bytes", "Number of bytes in use by mcache structures. Equals to /memory/classes/metadata/mcache/inuse:bytes.", ms.MCacheInuse),
		g("mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system. Equals to /memory/classes/metadata/mcache/inuse:bytes + /memory/classes/metadata/mcache/free:bytes.", ms.MCacheSys),
		g("mspan_inuse_bytes", "Number of bytes in use by mspan structures. Equals to /memory/classes/metadata/mspan/inuse:bytes.", ms.MSpanInuse),
		g("mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system. Equals to /memory/classes/metadata/mspan/inuse:bytes + /memory/classes/metadata/mspan/free:bytes.", ms.MSpanSys),
		g("next_gc_bytes", "Number of heap bytes when next garbage collection will take place. Equals to /gc/heap/goal:bytes.", ms.NextGC),
		g("other_sys_bytes", "Number of bytes used for other system allocations. Equals to /memory/classes/other:bytes.", ms.OtherSys),
		g("stack_inuse_bytes", "Number of bytes obtained from system for stack allocator in non-CGO environments. Equals to /memory/classes/heap/stacks:bytes.", ms.StackInuse),
		g("stack_sys_bytes", "Number of bytes obtained from system for stack allocator. Equals to /memory/classes/heap/stacks:bytes + /memory/classes/os-stacks:bytes.", ms.StackSys),
		g("sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", ms.Sys),
	}
}
