package io.clusterplatform.provisioner.cli;

import picocli.CommandLine.IVersionProvider;

class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Provisioner.class.getPackage().getImplementationVersion();
        return new String[] {"provisioner " + (version == null ? "development build" : version)};
    }
}
