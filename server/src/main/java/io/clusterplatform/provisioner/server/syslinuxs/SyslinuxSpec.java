package io.clusterplatform.provisioner.server.syslinuxs;

/**
 * A request of {@code POST /api/syslinuxs}, as in the original API.
 *
 * @param fragment {@code ldlinux.c32}, {@code isolinux.bin} or {@code isohdpfx.bin}
 */
public record SyslinuxSpec(String fragment) {}
