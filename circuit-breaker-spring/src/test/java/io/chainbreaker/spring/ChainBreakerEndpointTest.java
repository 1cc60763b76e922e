package io.chainbreaker.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainbreaker.BreakerState;
import io.chainbreaker.ChainBreaker;
import io.chainbreaker.Direction;
import io.chainbreaker.NetworkConfig;
import io.chainbreaker.Reason;
import io.chainbreaker.TokenStatus;
import io.chainbreaker.store.AuditRecord;
import io.chainbreaker.store.InMemoryStateStore;
import java.security.Principal;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

class ChainBreakerEndpointTest {

  private final InMemoryStateStore store = new InMemoryStateStore();
  private final ChainBreaker breaker =
      ChainBreaker.builder()
          .network(
              NetworkConfig.builder("klaytn")
                  .chainId(8217)
                  .rpcUrls("https://node.example/v3/0123456789abcdef0123")
                  .build())
          .token("PXL", "klaytn")
          .stateStore(store)
          .build();
  private final ChainBreakerEndpoint endpoint = new ChainBreakerEndpoint(breaker, store, "OPS");

  @AfterEach
  void close() {
    breaker.close();
  }

  private static SecurityContext user(String name, String... roles) {
    return new SecurityContext() {
      @Override
      public Principal getPrincipal() {
        return name == null ? null : () -> name;
      }

      @Override
      public boolean isUserInRole(String role) {
        return Set.of(roles).contains(role);
      }
    };
  }

  @Test
  void anOperatorForcesAndClearsOverridesAsThemselves() {
    WebEndpointResponse<Object> r =
        endpoint.override(
            "PXL", "withdrawal", "suspend", "hot wallet audit", "2h", user("alice", "OPS"));
    assertThat(r.getStatus()).isEqualTo(200);
    TokenStatus status = (TokenStatus) r.getBody();
    assertThat(status.withdrawal().state()).isEqualTo(BreakerState.SUSPENDED);
    assertThat(status.withdrawal().reason()).isEqualTo(Reason.OPERATOR);
    assertThat(status.withdrawal().override().actor()).isEqualTo("alice");
    assertThat(status.withdrawal().override().expiresAt())
        .isEqualTo(status.withdrawal().override().createdAt().plusSeconds(7200));

    endpoint.override("PXL", "WITHDRAWAL", "clear", null, null, user("bob", "OPS"));
    assertThat(breaker.token("PXL").status().withdrawal().override()).isNull();
  }

  @Test
  void theAuditTrailOfATokenIsReadable() {
    endpoint.override("PXL", "deposit", "suspend", "incident 7", null, user("alice", "OPS"));
    endpoint.override("PXL", "deposit", "clear", null, null, user("bob", "OPS"));
    WebEndpointResponse<Object> r = endpoint.audit("PXL", "audit", null, null, null);
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat((java.util.List<?>) r.getBody())
        .hasSize(2)
        .extracting(o -> ((AuditRecord) o).transition().actor())
        .containsExactly("alice", "bob");
    assertThat(endpoint.audit("PXL", "audit", "yesterday", null, null).getStatus()).isEqualTo(400);
    assertThat(endpoint.audit("PXL", "audit", null, null, 0).getStatus()).isEqualTo(400);
    assertThat(endpoint.audit("PXL", "history", null, null, null).getStatus()).isEqualTo(404);
    assertThat(endpoint.audit("DOGE", "audit", null, null, null).getStatus()).isEqualTo(404);
  }

  @Test
  void writesAreRefusedWithoutTheRoleOrAPrincipal() {
    assertThat(
            endpoint.override("PXL", "deposit", "allow", "why", null, user("mallory")).getStatus())
        .isEqualTo(403);
    assertThat(endpoint.override("PXL", "deposit", "allow", "why", null, user(null)).getStatus())
        .isEqualTo(403);
    assertThat(breaker.token("PXL").status().deposit().override()).isNull();
  }

  @Test
  void badRequestsSaySpecificallyWhatIsWrong() {
    SecurityContext ops = user("alice", "OPS");
    assertThat(endpoint.override("PXL", "sideways", "suspend", "x", null, ops).getBody())
        .asString()
        .contains("direction must be deposit or withdrawal but was 'sideways'");
    assertThat(endpoint.override("PXL", "deposit", "pause", "x", null, ops).getStatus())
        .isEqualTo(400);
    assertThat(endpoint.override("PXL", "deposit", "suspend", " ", null, ops).getBody())
        .asString()
        .contains("needs a note");
    assertThat(endpoint.override("DOGE", "deposit", "suspend", "x", null, ops).getStatus())
        .isEqualTo(404);
    assertThat(endpoint.override("PXL", "deposit", "suspend", "x", "soon", ops).getStatus())
        .isEqualTo(400);
    assertThat(endpoint.token("DOGE").getStatus()).isEqualTo(404);
  }

  @Test
  void readsShowEveryTokenAndMaskedEndpoints() {
    assertThat(endpoint.breakers().tokens()).hasSize(1);
    assertThat(endpoint.breakers().networks().get(0).endpoints().get(0).url())
        .isEqualTo("https://node.example/v3/***");
    assertThat(((TokenStatus) endpoint.token("PXL").getBody()).symbol()).isEqualTo("PXL");
    assertThat(breaker.token("PXL").status().status(Direction.DEPOSIT).reason())
        .isEqualTo(Reason.STARTING);
  }
}
