// The retirement certificate (issue 10): a PDF stating who retired which credits — beneficiary,
// quantity, serial ranges with project, monitoring period and Article 6 authorisation, date,
// registry, the journal sequence and entry hash that commit it — and a QR code linking to the
// public look-up of its first serial, so a reader can check the certificate against the
// registry itself. Labels are in English and Japanese; the Japanese TrueType font is embedded
// (a reader needs no font of its own).
//
// libharu (libhpdf) writes the PDF and libqrencode the QR code; neither type leaves the .cc.
// The output depends only on the arguments (no creation date is written), so the same
// retirement always gives the same bytes.
//
// Errors: InvalidArgument when the font file is missing or not a TrueType font the library can
// embed; Internal for any other failure of the PDF library.
#pragma once

#include <string>

#include "core/status.h"
#include "service/retirements.h"

namespace jcm::service::pdf {

// Debian's fonts-ipaexfont-gothic (scripts/bootstrap installs it).
inline constexpr const char* kJapaneseFontDefault =
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";

struct CertificateOptions {
  std::string japanese_font_path = kJapaneseFontDefault;
  // The public web application's origin, e.g. "https://registry.example.go.jp"; the QR code
  // links to "<public_url>/credits?serial=<REGISTRY>-<first serial>".
  std::string public_url;
};

// The public look-up address the certificate's QR code encodes.
std::string LookupUrl(const Retirement& retirement, const std::string& public_url);

// The certificate's PDF bytes. REQUIRES: `retirement` has at least one block.
core::Result<std::string> RetirementCertificatePdf(const Retirement& retirement,
                                                   const CertificateOptions& options);

}  // namespace jcm::service::pdf
