package com.engarde.signupsync.architecture;

import com.engarde.signupsync.api.ApiException;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/** The package rules of the request boundary, checked on the compiled classes of shared. */
class ArchitectureTest {

    private static final String ROOT = "com.engarde.signupsync";
    private static final String API = ROOT + ".api..";

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        // A rule over no classes passes whatever it says.
        assertThat(classes.stream().filter(c -> c.getPackageName().startsWith(ROOT + ".funnel"))).isNotEmpty();
    }

    @Test
    void topLevelPackagesHaveNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theDomainKnowsNeitherTheApiLayerNorHttp() {
        noClasses().that().resideOutsideOfPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(API, "io.micronaut.http..")
                .check(classes);
    }

    @Test
    void onlyTheApiLayerUsesApiException() {
        noClasses().that().resideOutsideOfPackage(API)
                .should().dependOnClassesThat().areAssignableTo(ApiException.class)
                .check(classes);
    }
}
