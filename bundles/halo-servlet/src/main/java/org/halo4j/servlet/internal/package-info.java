/** Sessions, rate limits and JSON answers of the filter. Private to the bundle. */
package org.halo4j.servlet.internal;
