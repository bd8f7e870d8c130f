package com.engarde.signupsync.architecture;

import com.engarde.signupsync.api.ApiException;
import com.engarde.signupsync.integrations.IntegrationDeclaration;
import com.google.auto.service.AutoService;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of the request boundary, on the compiled classes of shared. The API layer is the package
 * {@code api} (the function modules' controllers sit above shared and are API layer too); every other package
 * is domain or infrastructure and knows no HTTP. None of these rules has an exception.
 */
class ArchitectureTest {

    private static final String ROOT = "com.engarde.signupsync";
    private static final String API = ROOT + ".api..";

    private static JavaClasses shared;

    @BeforeAll
    static void importClasses() {
        shared = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
        // A rule over no classes passes whatever it says: each layer the rules name must be there.
        for (String layer : new String[] {"api", "funnel", "sync", "admin", "auth", "input", "failure"}) {
            assertThat(shared.stream().filter(c -> c.getPackageName().equals(ROOT + "." + layer)))
                    .as("classes of " + layer).isNotEmpty();
        }
    }

    @Test
    void topLevelPackagesHaveNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(shared);
    }

    @Test
    void theDomainKnowsNeitherTheApiLayerNorHttp() {
        noClasses().that().resideOutsideOfPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(API, "io.micronaut.http..")
                .check(shared);
    }

    /** Constructed, thrown, caught or declared: a status-carrying failure belongs to the API layer alone. */
    @Test
    void onlyTheApiLayerUsesApiException() {
        noClasses().that().resideOutsideOfPackage(API)
                .should().dependOnClassesThat().areAssignableTo(ApiException.class)
                .check(shared);
    }

    /** The failures are the lowest package: every other one may throw them. */
    @Test
    void failuresDependOnNothingOfTheService() {
        noClasses().that().resideInAPackage(ROOT + ".failure..")
                .should().dependOnClassesThat().resideOutsideOfPackages(ROOT + ".failure..", "java..")
                .check(shared);
    }

    /** Input is read and checked without knowing what will use it. */
    @Test
    void inputKnowsOnlyFailures() {
        noClasses().that().resideInAPackage(ROOT + ".input..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(resideOutsideOfPackages(ROOT + ".input..", ROOT + ".failure..")))
                .check(shared);
    }

    /**
     * A declaration is found because the compiler lists it for ServiceLoader (@AutoService); one without the
     * annotation would silently be no integration at all.
     */
    @Test
    void everyIntegrationDeclarationListsItself() {
        classes().that().implement(IntegrationDeclaration.class)
                .should().beAnnotatedWith(AutoService.class)
                .check(shared);
    }
}
