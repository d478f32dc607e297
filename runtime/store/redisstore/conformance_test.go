package redisstore_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
)

// redisOptions tells the suite that Redis removes expired keys by itself,
// so ClearExpired has nothing to count.
var redisOptions = sessiontest.Options{SelfExpiring: true}

// factory adapts an env maker to the conformance suite.
func factory(newEnv newEnvFunc) sessiontest.Factory {
	return func(t *testing.T) store.Store { return newEnv(t).s }
}

func TestConformance(t *testing.T) { sessiontest.RunWith(t, factory(miniEnv), redisOptions) }

func TestConformanceRealRedis(t *testing.T) {
	requireRealRedis(t)
	sessiontest.RunWith(t, factory(realEnv), redisOptions)
}
