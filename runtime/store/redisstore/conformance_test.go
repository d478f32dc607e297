package redisstore_test

import (
	"testing"

	"github.com/typedsession/typedsession/runtime/sessiontest"
	"github.com/typedsession/typedsession/runtime/store"
)

// factory adapts an env maker to the conformance suite.
func factory(newEnv newEnvFunc) sessiontest.Factory {
	return func(t *testing.T) store.Store { return newEnv(t).s }
}

func TestConformance(t *testing.T) { sessiontest.Run(t, factory(miniEnv)) }

func TestConformanceRealRedis(t *testing.T) {
	requireRealRedis(t)
	sessiontest.Run(t, factory(realEnv))
}
