package io.clusterplatform.provisioner.core.bootloaders;

import io.clusterplatform.provisioner.core.problems.ProblemException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The SYSLINUX files a BIOS-bootable hybrid ISO needs. */
public enum SyslinuxFragment {
    /** The SYSLINUX core module every ISOLINUX boot loads. */
    LDLINUX_C32("ldlinux.c32"),
    /** The El Torito boot image for CD boot. */
    ISOLINUX_BIN("isolinux.bin"),
    /** The MBR that makes an ISO bootable as a USB disk (xorriso {@code -isohybrid-mbr}). */
    ISOHDPFX_BIN("isohdpfx.bin");

    private final String fileName;

    SyslinuxFragment(String fileName) {
        this.fileName = fileName;
    }

    /** The fragment of that name; a 404 problem naming the known ones for anything else. */
    public static SyslinuxFragment of(String fileName) {
        for (SyslinuxFragment fragment : values()) {
            if (fragment.fileName.equals(fileName)) {
                return fragment;
            }
        }
        throw ProblemException.notFound("unknown SYSLINUX fragment "
                + (fileName == null ? "null" : "\"" + fileName + "\"") + ": known are " + known());
    }

    public static String known() {
        return Arrays.stream(values()).map(SyslinuxFragment::fileName).collect(Collectors.joining(", "));
    }

    public String fileName() {
        return fileName;
    }
}
