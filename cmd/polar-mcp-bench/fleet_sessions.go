package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// dialParallel is how many sessions fleetSessions opens at a time.
const dialParallel = 16

// fleetSessions opens one session per caller, caller i on instance
// i mod n: the customers (emails, the busiest first) and two agents.
func fleetSessions(ctx context.Context, servers []*httpServer, m mix, o fleetOptions, emails []string) (*chooser, func(), error) {
	hc := newHTTPClient(min(len(emails), 256) + 2)
	r := mrand.New(mrand.NewPCG(o.seed, 7))
	ch := &chooser{mix: m, rand: r, emails: emails}
	ids := make([]caller.Identity, 0, len(emails)+2)
	for _, e := range emails {
		ids = append(ids, caller.Identity{Role: caller.Customer, Email: e})
	}
	ids = append(ids, caller.Identity{Role: caller.Agent, Email: "agent@northwind.example"},
		caller.Identity{Role: caller.Agent, Email: "agent2@northwind.example"})
	opened := make([]asker, len(ids))
	closeAll := func() {
		for _, a := range opened {
			if a.c != nil {
				_ = a.c.Close()
			}
		}
	}
	errs := make([]error, len(ids))
	sem := make(chan struct{}, dialParallel)
	var wg sync.WaitGroup
	for i, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			srv := servers[i%len(servers)]
			tok, err := identity.Mint(srv.secret, identity.Claims{Role: id.Role, Email: id.Email, EmailVerified: true}, 6*time.Hour, time.Now())
			if err != nil {
				errs[i] = err
				return
			}
			c, err := dial(ctx, hc, srv.URL, "http", "", tok)
			if err != nil {
				errs[i] = fmt.Errorf("session of caller %d: %w", i, err)
				return
			}
			opened[i] = asker{c: c, who: loadCaller{id: id, token: tok}}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, closeAll, err
	}
	for _, a := range opened {
		if a.who.id.Role == caller.Agent {
			ch.agents = append(ch.agents, a)
		} else {
			ch.customers = append(ch.customers, a)
		}
	}
	n := len(emails)
	if o.mode == "zipf" {
		z := mrand.NewZipf(r, o.zipfS, 1, uint64(n-1))
		ch.customer = func() int { return int(z.Uint64()) }
	} else {
		ch.customer = func() int { return r.IntN(n) }
	}
	return ch, closeAll, nil
}

// clearRedis deletes the polar-mcp: keys of database db (earlier runs'
// budget slots would count) and returns the URL of that database.
func clearRedis(ctx context.Context, raw string, db int) (string, error) {
	opt, err := redis.ParseURL(raw)
	if err != nil {
		return "", fmt.Errorf("--redis: %w", err)
	}
	opt.DB = db
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	iter := rdb.Scan(ctx, 0, "polar-mcp:*", 500).Iterator()
	for iter.Next(ctx) {
		if err := rdb.Del(ctx, iter.Val()).Err(); err != nil {
			return "", err
		}
	}
	if err := iter.Err(); err != nil {
		return "", fmt.Errorf("the Redis at --redis does not answer: %w", err)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("--redis: %w", err)
	}
	u.Path = fmt.Sprintf("/%d", db)
	return u.String(), nil
}

// requestPaths counts requests by method and path.
func requestPaths(reqs []fakepolar.Request) map[string]int {
	out := map[string]int{}
	for _, r := range reqs {
		out[r.Method+" "+r.Path]++
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
