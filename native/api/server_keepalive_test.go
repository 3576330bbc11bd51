package api

import (
	"testing"
	"time"
)

// Zero means etcd's defaults (5s, 2h, 20s); given values are kept.
func TestKeepAliveDefaultsAndFlags(t *testing.T) {
	policy, params := Config{}.keepAlive()
	if policy.MinTime != 5*time.Second || params.Time != 2*time.Hour || params.Timeout != 20*time.Second {
		t.Fatalf("defaults: min %v, interval %v, timeout %v", policy.MinTime, params.Time, params.Timeout)
	}
	policy, params = Config{KeepAliveMinTime: time.Second, KeepAliveInterval: time.Minute, KeepAliveTimeout: 3 * time.Second}.keepAlive()
	if policy.MinTime != time.Second || params.Time != time.Minute || params.Timeout != 3*time.Second {
		t.Fatalf("flags: min %v, interval %v, timeout %v", policy.MinTime, params.Time, params.Timeout)
	}
}
