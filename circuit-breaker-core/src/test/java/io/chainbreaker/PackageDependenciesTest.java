package io.chainbreaker;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph of core's main code. Its subpackages ({@code chain}, {@code store}, and any
 * added later) never form a cycle; and they point back up into the root package only for the root's
 * plain value types that their own public API speaks, never for the engine or its configuration
 * ({@code NetworkConfig}, {@code Engine}, ...), so what a transport or a store needs can be read
 * without the engine.
 */
@AnalyzeClasses(packages = "io.chainbreaker", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageDependenciesTest {

  @ArchTest
  static final ArchRule subpackagesDependOnEachOtherWithoutCycles =
      slices().matching("io.chainbreaker.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule chainUsesOnlyTheRootsFamilyNamesAndSafeText =
      noClasses()
          .that()
          .resideInAPackage("io.chainbreaker.chain..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.chainbreaker")
                  .and(not(belongToAnyOf(Protocol.class, RpcNamespace.class, SafeText.class))))
          .because("a head source needs only its SourceSettings, not the engine's configuration");

  @ArchTest
  static final ArchRule storeUsesOnlyTheRootsValueTypes =
      noClasses()
          .that()
          .resideInAPackage("io.chainbreaker.store..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.chainbreaker")
                  .and(
                      not(
                          belongToAnyOf(
                              BreakerOverride.class,
                              BreakerState.class,
                              CatalogChange.class,
                              Direction.class,
                              DirectionStatus.class,
                              EndpointState.class,
                              EndpointStatus.class,
                              NetworkHealth.class,
                              NetworkStatus.class,
                              NetworkVerdict.class,
                              Reason.class,
                              SafeText.class,
                              SubscriptionState.class,
                              TokenConfig.class,
                              TokenId.class,
                              TokenStatus.class,
                              TokenTransition.class))))
          .because(
              "a store (state, fleet, outbox) keeps the values the engine hands it and knows nothing"
                  + " else of it");
}
