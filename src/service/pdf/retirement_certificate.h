// The retirement certificate (issue 10): a PDF stating who retired which credits — beneficiary,
// quantity, serial ranges with project, monitoring period and Article 6 authorisation, date,
// registry, the journal sequence and entry hash that commit it — and a QR code, so a reader can
// check the certificate against the registry itself. Given the entry's inclusion proof in a
// signed tree head (the transparency log, docs/formats/transparency-log.md) the certificate
// prints it — leaf index, tree size, root, the head's time, signature and key, the audit path —
// and the QR code links to the public URL serving that proof; without one, to the public
// look-up of its first serial. Labels are in English and Japanese; the Japanese TrueType font is
// embedded (a reader needs no font of its own).
//
// libharu (libhpdf) writes the PDF and libqrencode the QR code; neither type leaves the .cc.
// The output depends only on the arguments (no creation date is written), so the same
// retirement always gives the same bytes.
//
// Errors: InvalidArgument when the font file is missing or not a TrueType font the library can
// embed; Internal for any other failure of the PDF library.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "service/log_service.h"
#include "service/retirements.h"

namespace jcm::service::pdf {

// Debian's fonts-ipaexfont-gothic (scripts/bootstrap installs it).
inline constexpr const char* kJapaneseFontDefault =
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

struct CertificateOptions {
  std::string japanese_font_path = kJapaneseFontDefault;
  // The public web application's origin, e.g. "https://registry.example.go.jp"; the QR code
  // links to ProofUrl under it when `inclusion` is given, else to LookupUrl.
  std::string public_url;
  // The retirement's entry proven in a signed tree head (ProveInSignedHead); nullopt when the
  // registry has no log key.
  std::optional<SignedInclusion> inclusion;
};

// The public look-up of the retirement's first serial:
// "<public_url>/credits?serial=<REGISTRY>-<first serial>".
std::string LookupUrl(const Retirement& retirement, const std::string& public_url);
// The public API's inclusion proof of the retirement in the head the certificate carries:
// "<public_url>/api/v1/log/proof?seq=<seq>&tree_size=<tree size>".
std::string ProofUrl(const InclusionProof& proof, const std::string& public_url);

// The certificate's PDF bytes. REQUIRES: `retirement` has at least one block.
core::Result<std::string> RetirementCertificatePdf(const Retirement& retirement,
                                                   const CertificateOptions& options);

}  // namespace jcm::service::pdf
