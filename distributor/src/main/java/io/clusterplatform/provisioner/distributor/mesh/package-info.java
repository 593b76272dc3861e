/**
 * The mesh node agent ({@code provisioner mesh join | bridge | status}): joins a WireGuard mesh with a
 * join token, keeps the host's interface in step with the server's peer map and reports handshakes.
 * It lives in the distributor module, next to the other agent, so that the server's lab tests (which
 * see the distributor module but not the CLI) can run it; the CLI only lists {@link MeshCommand}.
 */
package io.clusterplatform.provisioner.distributor.mesh;
