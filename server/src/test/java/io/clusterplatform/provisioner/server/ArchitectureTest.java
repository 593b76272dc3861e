package io.clusterplatform.provisioner.server;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server is packaged by feature, and its feature packages depend on each other without cycles:
 * a shared machinery (builds, dashboard, storage, ...) never reaches back into the features that use
 * it.
 */
@AnalyzeClasses(
        packages = "io.clusterplatform.provisioner.server",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices().matching(
                    "io.clusterplatform.provisioner.server.(*)..")
            .should()
            .beFreeOfCycles();
}
