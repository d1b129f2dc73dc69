/** halo4j's one JSON writer and strict flat-object reader, on Jackson's streaming core. Private to halo4j. */
package org.halo4j.internal.json;
