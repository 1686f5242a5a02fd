package stdio

import (
	"context"
	"io"
	"sync"
	"time"
)

// AfterFirstAnswer returns out, wrapped so that then runs once the first
// answer (initialize's) is written, or after delay without one, and never
// once ctx ends first: work that can wait (asking Polar whether it is
// reachable) takes no CPU from the handshake.
func AfterFirstAnswer(ctx context.Context, out io.Writer, delay time.Duration, then func()) io.Writer {
	w := &firstWrite{Writer: out, done: make(chan struct{})}
	go func() {
		select {
		case <-w.done:
		case <-time.After(delay):
		case <-ctx.Done():
			return
		}
		then()
	}()
	return w
}

// firstWrite closes done once its first write is made.
type firstWrite struct {
	io.Writer
	once sync.Once
	done chan struct{}
}

func (w *firstWrite) Write(p []byte) (int, error) {
	n, err := w.Writer.Write(p)
	w.once.Do(func() { close(w.done) })
	return n, err
}
