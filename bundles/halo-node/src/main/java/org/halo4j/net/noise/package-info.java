/**
 * The Noise Protocol Framework (XX, NN) on Bouncy Castle primitives: the encryption and mutual authentication
 * under halo4j's peer channels. Private to the node runtime.
 */
package org.halo4j.net.noise;
