package io.chainbreaker.spring;

import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the {@link WalletStatusDocument} at {@code chain-breaker.wallet-status.path} (default
 * {@code /chain-breaker/wallet-status}) to anyone: it holds no secret and no operator text.
 */
@RestController
public class WalletStatusController {

  private final WalletStatusDocument document;

  /** A controller serving {@code document}. */
  public WalletStatusController(WalletStatusDocument document) {
    this.document = document;
  }

  /** The document, keyed by asset code; never cached by clients, so a suspension shows at once. */
  @GetMapping(
      value = "${chain-breaker.wallet-status.path:/chain-breaker/wallet-status}",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, WalletStatusDocument.Currency>> walletStatus() {
    return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(document.currencies());
  }
}
