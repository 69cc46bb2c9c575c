/*
 * govnet.h - The public API of libgovnet: plan, build, operate and share
 * a public fiber-optic network. Include this one header.
 * Every symbol not declared under include/govnet/ is internal.
 */
#ifndef GOVNET_GOVNET_H
#define GOVNET_GOVNET_H

#define GN_VERSION_STRING "0.1.0"

#include "govnet/auth.h"
#include "govnet/build.h"
#include "govnet/ctx.h"
#include "govnet/design.h"
#include "govnet/geo.h"
#include "govnet/graph.h"
#include "govnet/io.h"
#include "govnet/lease.h"
#include "govnet/otdr.h"
#include "govnet/mbtiles.h"
#include "govnet/plan.h"
#include "govnet/pipeline.h"
#include "govnet/planner.h"
#include "govnet/status.h"
#include "govnet/steiner.h"
#include "govnet/report.h"
#include "govnet/server.h"
#include "govnet/store.h"

#endif
