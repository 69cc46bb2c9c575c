#!/usr/bin/env bash
# test_hotspot_radius_rest.sh - the FreeRADIUS end-to-end test with the
# resident backend: rlm_rest to `govnet serve` (same assertions as exec).
exec bash "$(dirname "$0")/test_hotspot_radius.sh" rest
