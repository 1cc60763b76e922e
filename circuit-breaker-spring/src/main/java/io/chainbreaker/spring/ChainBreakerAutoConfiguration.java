package io.chainbreaker.spring;

import io.chainbreaker.ChainBreaker;
import io.chainbreaker.FleetConfig;
import io.chainbreaker.store.CatalogSource;
import io.chainbreaker.store.FleetStore;
import io.chainbreaker.store.InMemoryOutbox;
import io.chainbreaker.store.InMemoryStateStore;
import io.chainbreaker.store.JdbcCatalog;
import io.chainbreaker.store.JdbcFleetStore;
import io.chainbreaker.store.JdbcStateStore;
import io.chainbreaker.store.Outbox;
import io.chainbreaker.store.StateStore;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Creates the {@link ChainBreaker} from {@code chain-breaker.*} properties and wires it into the
 * application: lifecycle, application events, Resilience4j registry, and, when their classes are
 * present, the actuator endpoint, the health indicator and Micrometer meters. Every bean backs off
 * when the application defines its own.
 */
@AutoConfiguration(
    afterName = {
      // Spring Boot 3.5 names, then their Spring Boot 4 names (the modules were split out)
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "chain-breaker", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(ChainBreakerProperties.class)
// The health indicator's API moved between Boot lines: each line compiles its own twin of it.
@Import(ChainBreakerHealthConfiguration.class)
public class ChainBreakerAutoConfiguration {

  /** The name of the optional {@code Clock} bean that the engine, meters and console run on. */
  public static final String CLOCK = "chainBreakerClock";

  /** Reports a bad {@code chain-breaker.networks.*.preset} with the key and the valid presets. */
  @Bean
  @ConditionalOnMissingBean
  static PresetBindHandlerAdvisor chainBreakerPresetBindHandlerAdvisor() {
    return new PresetBindHandlerAdvisor();
  }

  /**
   * The in-memory store, unless {@code chain-breaker.store.type=jdbc} or the application has one.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "chain-breaker.store",
      name = "type",
      havingValue = "memory",
      matchIfMissing = true)
  public StateStore chainBreakerStateStore() {
    return new InMemoryStateStore();
  }

  /** The JDBC store on the application's {@code DataSource}, with {@code store.type=jdbc}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "chain-breaker.store", name = "type", havingValue = "jdbc")
  static class JdbcStoreConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    StateStore chainBreakerStateStore(
        ObjectProvider<DataSource> dataSource, ChainBreakerProperties properties) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.store.type",
            "jdbc needs exactly one DataSource bean (spring.datasource.* or your own)");
      }
      StoreProperties store = properties.getStore();
      JdbcStateStore.Builder builder =
          JdbcStateStore.builder(ds).createSchema(store.isCreateSchema());
      try {
        if (store.getInstanceId() != null) {
          builder.instanceId(store.getInstanceId());
        }
        builder.retryInterval(store.getRetryInterval());
      } catch (IllegalArgumentException e) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.store", String.valueOf(e.getMessage()));
      }
      return builder.build();
    }
  }

  /**
   * The catalog table {@code chain_breaker_catalog} on the application's {@code DataSource}, with
   * {@code chain-breaker.catalog.jdbc.enabled=true}: the engine's catalog source, and where the
   * actuator's catalog operations write so that every instance sees them.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(
      prefix = "chain-breaker.catalog.jdbc",
      name = "enabled",
      havingValue = "true")
  static class JdbcCatalogConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JdbcCatalog chainBreakerJdbcCatalog(
        ObjectProvider<DataSource> dataSource, ChainBreakerProperties properties) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.catalog.jdbc.enabled",
            "the catalog table needs exactly one DataSource bean (spring.datasource.* or your own)");
      }
      return JdbcCatalog.builder(ds)
          .createSchema(properties.getCatalog().getJdbc().isCreateSchema())
          .build();
    }
  }

  /**
   * The fleet's store on the application's {@code DataSource} (PostgreSQL), when this instance is a
   * fleet member (see {@link FleetCondition}).
   */
  @Configuration(proxyBeanMethods = false)
  @Conditional(FleetCondition.class)
  static class FleetConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    FleetStore chainBreakerFleetStore(
        ObjectProvider<DataSource> dataSource, ChainBreakerProperties properties) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.fleet",
            "a fleet needs exactly one DataSource bean on PostgreSQL (spring.datasource.* or your"
                + " own)");
      }
      FleetProperties f = properties.getFleet();
      try {
        return JdbcFleetStore.builder(ds)
            .queryTimeout(f.getQueryTimeout())
            .createSchema(f.isCreateSchema())
            .build();
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.fleet", String.valueOf(e.getMessage()));
      }
    }
  }

  /**
   * Where notifications wait until delivered: the fleet's outbox table when this instance is a
   * fleet member, else one in memory (lost with the process).
   */
  @Bean
  @ConditionalOnMissingBean
  public Outbox chainBreakerOutbox(ObjectProvider<FleetStore> fleetStore) {
    FleetStore fs = fleetStore.getIfUnique();
    return fs != null ? fs.outbox() : new InMemoryOutbox(Clock.systemUTC());
  }

  /** The fleet settings of {@code properties} on {@code store}, each value checked. */
  static FleetConfig fleetConfig(ChainBreakerProperties properties, FleetStore store) {
    FleetProperties f = properties.getFleet();
    try {
      FleetConfig.Builder b =
          FleetConfig.builder(store)
              .name(f.getName())
              .leaseTtl(f.getLeaseTtl())
              .pollInterval(f.getPollInterval());
      String id =
          f.getInstanceId() != null ? f.getInstanceId() : properties.getStore().getInstanceId();
      if (id != null) {
        b.instanceId(id);
      }
      if (f.getStaleAfter() != null) {
        b.staleAfter(f.getStaleAfter());
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InvalidChainBreakerConfigurationException(
          "chain-breaker.fleet", String.valueOf(e.getMessage()));
    }
  }

  /**
   * The engine. Uses the application's Resilience4j {@code CircuitBreakerRegistry} if it has one,
   * so the token breakers show in existing Resilience4j dashboards and endpoints; publishes every
   * {@code TokenTransition} and {@code NetworkHealthChange} as an application event. Its wall clock
   * is the {@code Clock} bean named {@code chainBreakerClock} if there is one (tests pass virtual
   * time), else the system clock; meters and the console measure ages on the same clock. It can be
   * closed and started again (see {@link ChainBreakerLifecycle}): each start after a close builds a
   * fresh engine from these settings.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public ChainBreaker chainBreaker(
      ChainBreakerProperties properties,
      StateStore store,
      ObjectProvider<CircuitBreakerRegistry> registry,
      ObjectProvider<CatalogSource> catalogSource,
      ObjectProvider<ChainBreakerCustomizer> customizers,
      ObjectProvider<FleetStore> fleetStore,
      ApplicationEventPublisher events,
      @Qualifier(CLOCK) ObjectProvider<Clock> clock) {
    Clock engineClock = clock.getIfAvailable(Clock::systemUTC);
    ChainBreaker breaker =
        new RestartableChainBreaker(
            () -> {
              ChainBreaker.Builder builder =
                  PropertiesMapper.builder(properties).stateStore(store).clock(engineClock);
              try {
                builder.overrideSyncInterval(properties.getStore().getSyncInterval());
              } catch (IllegalArgumentException e) {
                throw new InvalidChainBreakerConfigurationException(
                    "chain-breaker.store.sync-interval", String.valueOf(e.getMessage()));
              }
              registry.ifAvailable(builder::circuitBreakerRegistry);
              catalogSource.ifUnique(builder::catalogSource);
              fleetStore.ifUnique(fs -> builder.fleet(fleetConfig(properties, fs)));
              customizers.orderedStream().forEach(c -> c.customize(builder));
              return builder.build();
            });
    breaker
        .events()
        .onTokenTransition(events::publishEvent)
        .onNetworkHealthChange(events::publishEvent);
    return breaker;
  }

  /** Starts the engine with the context and stops it on close. */
  @Bean
  @ConditionalOnMissingBean
  public ChainBreakerLifecycle chainBreakerLifecycle(ChainBreaker breaker) {
    return new ChainBreakerLifecycle(breaker);
  }

  /** The interceptor behind {@link GuardDeposit} and {@link GuardWithdrawal}. */
  @Bean
  @ConditionalOnMissingBean
  public GuardInterceptor chainBreakerGuardInterceptor(ChainBreaker breaker) {
    return new GuardInterceptor(breaker);
  }

  /** Applies the guard interceptor to annotated methods of any bean. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  @ConditionalOnMissingBean(name = "chainBreakerGuardAdvisor")
  public static Advisor chainBreakerGuardAdvisor(ObjectProvider<GuardInterceptor> interceptor) {
    ComposablePointcut pointcut =
        new ComposablePointcut(AnnotationMatchingPointcut.forMethodAnnotation(GuardDeposit.class))
            .union(AnnotationMatchingPointcut.forMethodAnnotation(GuardWithdrawal.class));
    return new DefaultPointcutAdvisor(
        pointcut,
        (org.aopalliance.intercept.MethodInterceptor)
            invocation -> interceptor.getObject().invoke(invocation));
  }

  /**
   * The actuator endpoint, when actuator is on the class path and the endpoint is available (access
   * not {@code none} and exposed, e.g. {@code management.endpoints.web.exposure.include}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static class EndpointConfiguration {

    // Nested: Spring loads every condition of a class before it evaluates any, so the actuator
    // condition may only be read once the class check above has passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(ChainBreakerEndpoint.class)
    static class AvailableEndpointConfiguration {

      @Bean
      @ConditionalOnMissingBean
      ChainBreakerEndpoint chainBreakerEndpoint(
          ChainBreaker breaker, StateStore store, ChainBreakerProperties properties) {
        return new ChainBreakerEndpoint(
            breaker, store, properties.getManagement().getOperatorRole());
      }
    }

    @Bean
    @ConditionalOnMissingBean
    ChainBreakerCatalogEndpoint chainBreakerCatalogEndpoint(
        ChainBreaker breaker,
        ObjectProvider<JdbcCatalog> table,
        ObjectProvider<ChainBreakerMetrics> metrics,
        ChainBreakerProperties properties) {
      return new ChainBreakerCatalogEndpoint(
          breaker,
          table.getIfUnique(),
          () -> metrics.ifAvailable(ChainBreakerMetrics::catalogChanged),
          properties.getManagement().getOperatorRole());
    }
  }

  /**
   * Masks RPC, WebSocket, webhook and heartbeat URLs in the actuator's env and configprops
   * endpoints: under their keys, on the command line, and wherever else a configured one appears.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(SanitizingFunction.class)
  static class SanitizerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecretUrlSanitizer chainBreakerSecretUrlSanitizer(
        ObjectProvider<ChainBreakerProperties> properties) {
      return new SecretUrlSanitizer(
          () -> {
            ChainBreakerProperties p = properties.getIfAvailable();
            return p == null ? List.of() : secretUrls(p);
          });
    }

    /** Every URL in {@code p} that may carry a secret, as configured (placeholders resolved). */
    static List<String> secretUrls(ChainBreakerProperties p) {
      List<String> urls = new ArrayList<>();
      for (NetworkProperties n : p.getNetworks().values()) {
        urls.addAll(n.getRpcUrls());
        for (NetworkProperties.Endpoint e : n.getEndpoints()) {
          addIfPresent(urls, e.getRpcUrl());
          addIfPresent(urls, e.getWsUrl());
        }
      }
      addIfPresent(urls, p.getNotifications().getWebhook().getUrl());
      addIfPresent(urls, p.getNotifications().getHeartbeat().getUrl());
      urls.removeIf(Objects::isNull);
      return urls;
    }

    private static void addIfPresent(List<String> urls, @Nullable String url) {
      if (url != null && !url.isBlank()) {
        urls.add(url);
      }
    }
  }

  /** Micrometer meters, when Micrometer is present and the application has a registry. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  @ConditionalOnBean(MeterRegistry.class)
  static class MetricsConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ChainBreakerMetrics chainBreakerMetrics(
        ChainBreaker breaker, @Qualifier(CLOCK) ObjectProvider<Clock> clock) {
      // ages on the engine's clock: under virtual time a head that just advanced is 0 s old
      return new ChainBreakerMetrics(breaker, clock.getIfAvailable(Clock::systemUTC));
    }
  }

  /**
   * The public wallet status, in a servlet web application with {@code
   * chain-breaker.wallet-status.enabled} (the default).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DispatcherServlet.class)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnProperty(
      prefix = "chain-breaker.wallet-status",
      name = "enabled",
      matchIfMissing = true)
  static class WalletStatusConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WalletStatusDocument chainBreakerWalletStatusDocument(
        ChainBreaker breaker, ChainBreakerProperties properties) {
      WalletStatusProperties settings = properties.getWalletStatus();
      try {
        return new WalletStatusDocument(breaker, settings.getAssetCodes(), settings.getMaxAge());
      } catch (IllegalArgumentException e) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.wallet-status.max-age", String.valueOf(e.getMessage()));
      }
    }

    @Bean
    @ConditionalOnMissingBean
    WalletStatusController chainBreakerWalletStatusController(WalletStatusDocument document) {
      return new WalletStatusController(document);
    }
  }

  /** Incident notifications, with {@code chain-breaker.notifications.webhook.url}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "chain-breaker.notifications.webhook", name = "url")
  static class WebhookConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    IncidentNotifier chainBreakerIncidentNotifier(
        ChainBreaker breaker, ChainBreakerProperties properties, Outbox outbox) {
      NotificationsProperties.Webhook w = properties.getNotifications().getWebhook();
      IncidentNotifier.Settings settings;
      try {
        settings =
            new IncidentNotifier.Settings(
                WebhookClient.parse(
                    Objects.requireNonNull(w.getUrl(), "@ConditionalOnProperty: url is set")),
                w.getFormat(),
                w.getDedupWindow(),
                w.getMaxAttempts(),
                w.getInitialBackoff(),
                w.getQueueCapacity());
      } catch (IllegalArgumentException e) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.notifications.webhook", String.valueOf(e.getMessage()));
      }
      return IncidentNotifier.start(breaker, settings, outbox);
    }
  }

  /** The heartbeat, with {@code chain-breaker.notifications.heartbeat.url}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty(prefix = "chain-breaker.notifications.heartbeat", name = "url")
  static class HeartbeatConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Heartbeat chainBreakerHeartbeat(ChainBreaker breaker, ChainBreakerProperties properties) {
      NotificationsProperties.HeartbeatSettings h = properties.getNotifications().getHeartbeat();
      try {
        return new Heartbeat(
            breaker::snapshot,
            breaker::fleet,
            WebhookClient.parse(
                Objects.requireNonNull(h.getUrl(), "@ConditionalOnProperty: url is set")),
            h.getInterval());
      } catch (IllegalArgumentException e) {
        throw new InvalidChainBreakerConfigurationException(
            "chain-breaker.notifications.heartbeat", String.valueOf(e.getMessage()));
      }
    }
  }

  /**
   * The operator console, in a servlet web application that opts in with {@code
   * chain-breaker.console.enabled=true} (off by default: a service that adds the starter does not
   * serve a page it did not ask for); it refuses every data request without a signed-in user in a
   * role.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DispatcherServlet.class)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnProperty(prefix = "chain-breaker.console", name = "enabled", havingValue = "true")
  static class ConsoleConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ConsoleController chainBreakerConsoleController(
        ChainBreaker breaker,
        StateStore store,
        ChainBreakerProperties properties,
        @Qualifier(CLOCK) ObjectProvider<Clock> clock,
        ObjectProvider<IncidentNotifier> notifier) {
      ConsoleProperties console = properties.getConsole();
      ConsoleController controller =
          new ConsoleController(
              breaker,
              store,
              console.getPath(),
              console.getViewerRole(),
              properties.getManagement().getOperatorRole(),
              console.getRefreshInterval(),
              clock.getIfAvailable(Clock::systemUTC));
      notifier.ifAvailable(controller::showIncidents);
      return controller;
    }
  }
}
