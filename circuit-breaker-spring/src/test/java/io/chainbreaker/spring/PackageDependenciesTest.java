package io.chainbreaker.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph of the starter with core and the test kit it builds on: no cycle between their
 * subpackages, and nothing below the starter knows Spring's side of it.
 */
@AnalyzeClasses(packages = "io.chainbreaker", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

  @ArchTest
  static final ArchRule packagesDependOnEachOtherWithoutCycles =
      slices().matching("io.chainbreaker.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule coreNeverDependsOnTheStarter =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.chainbreaker.spring..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.chainbreaker.spring..");
}
