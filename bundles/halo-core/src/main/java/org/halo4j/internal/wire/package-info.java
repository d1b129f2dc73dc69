/**
 * Strict protobuf decoding shared by every verifier: size and nesting limits, no unknown fields, and bytes
 * that must re-encode to themselves (one meaning per byte string). Private to halo-core.
 */
package org.halo4j.internal.wire;
