/**
 * A node of the local control plane that really runs pods, as local processes: the runtime image's
 * pods ({@code serendip/runtime}) become {@code java -jar serendip-runtime.jar <args>} with their volume
 * mounts mapped onto directories, an address of their own on the loopback network, readiness from
 * their probe, and Service names resolved through a hosts file. Pods of every other image are
 * refused with a clear reason. KWOK's fake nodes stay fake; this node is for traffic that must be real.
 */
package io.serendip.kube.local.node;
