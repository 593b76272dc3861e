/**
 * The lean paths of what booting hosts fetch most: boot scripts ({@link
 * io.clusterplatform.provisioner.server.bootpath.BootScriptPath}) and downloads of boot assets and
 * built files ({@link io.clusterplatform.provisioner.server.bootpath.BootDownloadPath}), answered by
 * Tomcat valves ahead of every filter and Spring MVC, with the same answers, the same timeline
 * records and the same metrics as the ordinary path. Nothing depends on this package.
 */
package io.clusterplatform.provisioner.server.bootpath;
