/**
 * The protocol between the server and its distributor agents, in one place: the kinds of commands
 * ({@link io.clusterplatform.provisioner.core.distributors.protocol.CommandKind}), each command as a
 * typed record with its wire fields ({@link io.clusterplatform.provisioner.core.distributors.protocol.AgentCommand}),
 * and what the agent answers ({@link io.clusterplatform.provisioner.core.distributors.protocol.CommandResult}).
 * The server writes commands and reads results with these types, the agent reads commands and writes
 * results with them, and the dashboard shows them; the JSON stays that of the previous release
 * (docs/DISTRIBUTOR.md, "Protocol").
 */
package io.clusterplatform.provisioner.core.distributors.protocol;
