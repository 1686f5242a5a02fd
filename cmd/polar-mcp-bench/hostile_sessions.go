package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// initializeBody is an initialize request whose clientInfo name is
// nameBytes long.
func initializeBody(nameBytes int) []byte {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0", "id": 1, "method": "initialize",
		"params": map[string]any{
			"protocolVersion": httpProtocol,
			"capabilities":    map[string]any{},
			"clientInfo":      map[string]any{"name": "hostile-" + strings.Repeat("x", nameBytes), "version": "1"},
		},
	})
	return body
}

// initializeMany POSTs n initialize requests to /mcp with one token, conc
// at a time, over keep-alive connections, and counts the answers; a 200
// with a session id is a session the server keeps.
func initializeMany(ctx context.Context, base, token string, n, conc, nameBytes int) attackOutcome {
	body := initializeBody(nameBytes)
	hc := newHTTPClient(conc)
	hc.Timeout = 30 * time.Second
	defer hc.CloseIdleConnections()
	tl := newTally()
	var sessions atomic.Int64
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i := 0; i < n && ctx.Err() == nil; i++ {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/mcp", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := hc.Do(req)
			tl.add(answer(res, err))
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			res.Body.Close()
			if res.StatusCode == http.StatusOK && res.Header.Get(server.HeaderKeySessionID) != "" {
				sessions.Add(1)
			}
		})
	}
	wg.Wait()
	out := attackOutcome{attempts: n, statuses: tl.seen, held: int(sessions.Load())}
	out.notes = append(out.notes, fmt.Sprintf("%d sessions created (kept until they idle out)", sessions.Load()))
	return out
}
