/** Bridges between halo4j's own packages that must not be exported API. Not exported. */
package org.halo4j.internal.access;
