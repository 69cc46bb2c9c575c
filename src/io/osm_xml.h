/*
 * osm_xml.h - OpenStreetMap XML reader feeding an osm builder (internal).
 */
#ifndef GOVNET_IO_OSM_XML_H
#define GOVNET_IO_OSM_XML_H

#include "io/osm_build.h"

/* Parse path into b. Errors name the file and line: GN_EIO, GN_EFORMAT
 * (malformed XML, root element not <osm>, bad node), GN_ENOMEM. */
gn_status gn__osm_xml_read(gn__osm_build *b, const char *path);

#endif
