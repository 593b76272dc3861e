package io.clusterplatform.provisioner.distributor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agents are packaged by feature: {@code link} (the calls to the server and the agent's saved
 * state), {@code pxe} (dnsmasq, bootloaders, boot events), {@code runs} (script runs over SSH),
 * {@code liveness} (the checks of the site's nodes) and {@code mesh} (the mesh agent). The features
 * depend on each other without cycles, and none reaches back into the root package, which only
 * wires them into the running agent.
 */
@AnalyzeClasses(
        packages = "io.clusterplatform.provisioner.distributor",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices().matching(
                    "io.clusterplatform.provisioner.distributor.(*)..")
            .should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule featuresDoNotDependOnTheWiring = noClasses()
            .that()
            .resideInAPackage("io.clusterplatform.provisioner.distributor.*..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.clusterplatform.provisioner.distributor");
}
