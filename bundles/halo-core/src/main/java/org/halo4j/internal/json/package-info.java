/** Minimal JSON writing and flat-object reading for halo-core's small documents. Private to halo-core. */
package org.halo4j.internal.json;
