#include "service/pdf/retirement_certificate.h"

#include <hpdf.h>
#include <qrencode.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace jcm::service::pdf {
namespace {

constexpr HPDF_REAL kMargin = 50;
constexpr HPDF_REAL kLineHeight = 15;
constexpr HPDF_REAL kQrSide = 110;

// libharu reports errors through a callback; the first one is kept and turned into a Status
// when the document is finished (every call after an error is harmless: it fails too).
struct ErrorSink {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
  auto* sink = static_cast<ErrorSink*>(user_data);
  if (sink->error == HPDF_OK) {
    sink->error = error;
    sink->detail = detail;
  }
}

struct DocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

std::string Hex(HPDF_STATUS value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%04lX", static_cast<unsigned long>(value));
  return text;
}

// Writes lines top-down, starting a new page when the current one is full.
class Writer {
 public:
  Writer(HPDF_Doc doc, HPDF_Font font) : doc_(doc), font_(font) { NewPage(); }

  void Line(const std::string& text, HPDF_REAL size = 10, HPDF_REAL indent = 0) {
    if (y_ - kLineHeight < kMargin) NewPage();
    y_ -= size + 5;
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font_, size);
    HPDF_Page_TextOut(page_, kMargin + indent, y_, text.c_str());
    HPDF_Page_EndText(page_);
  }
  void Gap(HPDF_REAL points) { y_ -= points; }
  // A label in both languages and its value on the next line, indented.
  void Field(const std::string& label, const std::string& value) {
    Line(label, 8);
    Line(value, 11, 12);
    Gap(3);
  }
  HPDF_Page first_page() const { return first_page_; }

 private:
  void NewPage() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    if (first_page_ == nullptr) first_page_ = page_;
    y_ = HPDF_Page_GetHeight(page_) - kMargin;
  }

  HPDF_Doc doc_;
  HPDF_Font font_;
  HPDF_Page page_ = nullptr;
  HPDF_Page first_page_ = nullptr;
  HPDF_REAL y_ = 0;
};

// The QR code's dark modules as filled squares in the top right corner of `page`.
core::Status DrawQr(HPDF_Page page, const std::string& url) {
  std::unique_ptr<QRcode, QrDeleter> code(
      QRcode_encodeString(url.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) return core::Internal("the QR code could not be encoded: " + url);
  const int width = code->width;
  const HPDF_REAL module = kQrSide / static_cast<HPDF_REAL>(width + 8);  // 4-module quiet zone
  const HPDF_REAL left = HPDF_Page_GetWidth(page) - kMargin - kQrSide + 4 * module;
  const HPDF_REAL top = HPDF_Page_GetHeight(page) - kMargin - 4 * module;
  HPDF_Page_SetGrayFill(page, 0);
  for (int row = 0; row < width; ++row) {
    for (int column = 0; column < width; ++column) {
      if ((code->data[row * width + column] & 1) == 0) continue;
      HPDF_Page_Rectangle(page, left + static_cast<HPDF_REAL>(column) * module,
                          top - static_cast<HPDF_REAL>(row + 1) * module, module, module);
    }
  }
  HPDF_Page_Fill(page);
  return core::OkStatus();
}

std::string Range(const ledger::UnitBlock& block) {
  return block.registry.str() + "-" + std::to_string(block.serial_first) + " .. " +
         block.registry.str() + "-" + std::to_string(block.serial_last());
}

// The Article 6.2 authorisation the units cite (PARTY/ID) and their ITMO IDs, as the AEF writes
// them: registry ID, first and last ID, cooperative approach (docs/article6.md).
void WriteItmo(Writer& out, const ledger::UnitBlock& block) {
  out.Line("authorisation / 承認 " + block.article6_authorisation +
               (block.itmo_first != 0
                    ? "   cooperative approach / 協力的アプローチ " + block.cooperative_approach
                    : std::string()),
           8, 24);
  if (block.itmo_first == 0) return;
  out.Line("ITMO IDs / ITMO識別番号 " + block.itmo_registry + "-" +
               std::to_string(block.itmo_first) + " .. " + block.itmo_registry + "-" +
               std::to_string(block.itmo_last()),
           8, 24);
}

void WriteBody(Writer& out, const Retirement& retirement) {
  out.Line("JCM Retirement Certificate", 18);
  out.Line("JCM クレジット償却証明書", 14);
  out.Gap(16);
  out.Field("Beneficiary / 受益者", retirement.beneficiary.empty() ? "-" : retirement.beneficiary);
  out.Field("Quantity / 数量 (t-CO2e)", std::to_string(retirement.quantity));
  out.Field("Registry / 登録簿", retirement.registry);
  out.Field("Retired from account / 償却元口座", retirement.from_account);
  out.Field("Retirement account / 償却口座", retirement.retirement_account);
  out.Field("Date (UTC) / 日時 (協定世界時)", retirement.time);
  out.Field("Transaction (journal sequence) / 取引番号 (記録連番)", std::to_string(retirement.seq));
  out.Field("Journal entry hash (SHA-256) / 記録のハッシュ値", retirement.hash);
  out.Gap(6);
  out.Line("Serial ranges / シリアル番号の範囲", 8);
  for (const ledger::UnitBlock& block : retirement.blocks) {
    out.Line(Range(block) + "  (" + std::to_string(block.unit_count) + ")", 10, 12);
    out.Line("project / プロジェクト " + block.project +
                 "   monitoring period / モニタリング期間 " + block.monitoring_period.ToString() +
                 (block.vintage != 0 ? "   vintage / ビンテージ " + std::to_string(block.vintage)
                                     : std::string()) +
                 "   Article 6 / 6条承認 " +
                 std::string(ledger::AuthorizationName(block.authorization)),
             8, 24);
    if (!block.article6_authorisation.empty()) WriteItmo(out, block);
  }
}

// The inclusion proof, so that a reader can check it with the registry's public key alone
// (docs/formats/transparency-log.md). One value per line, each line "name value", as a program
// reading the text back needs it; the 128-digit signature in a smaller size to fit the width.
void WriteInclusion(Writer& out, const std::optional<SignedInclusion>& inclusion,
                    const std::string& proof_url) {
  out.Gap(10);
  out.Line("Transparency log inclusion proof (RFC 9162) / 透明性ログの包含証明", 10);
  if (!inclusion) {
    out.Line("none: the registry signs no tree heads / 署名付きツリーヘッドなし", 8, 12);
    return;
  }
  const SignedTreeHead& head = inclusion->head;
  const InclusionProof& proof = inclusion->proof;
  out.Line("leaf_index " + std::to_string(proof.leaf_index), 8, 12);
  out.Line("tree_size " + std::to_string(head.tree_size), 8, 12);
  out.Line("root_hash " + head.root_hash, 8, 12);
  out.Line("timestamp " + head.timestamp, 8, 12);
  out.Line("public_key " + head.public_key, 8, 12);
  out.Line("signature " + head.signature, 6, 12);
  out.Line("audit_path " + std::to_string(proof.audit_path.size()) + " hashes, bottom-up", 8, 12);
  for (const std::string& hash : proof.audit_path) out.Line("path " + hash, 8, 12);
  out.Line("proof_url " + proof_url, 8, 12);
}

}  // namespace

std::string ProofUrl(const InclusionProof& proof, const std::string& public_url) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/api/v1/log/proof?seq=" + std::to_string(proof.seq) +
         "&tree_size=" + std::to_string(proof.tree_size);
}

std::string LookupUrl(const Retirement& retirement, const std::string& public_url) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const int64_t first = retirement.blocks.empty() ? 0 : retirement.blocks.front().serial_first;
  return base + "/credits?serial=" + retirement.registry + "-" + std::to_string(first);
}

core::Result<std::string> RetirementCertificatePdf(const Retirement& retirement,
                                                   const CertificateOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.japanese_font_path, error)) {
    return core::InvalidArgument("the certificate font " + options.japanese_font_path +
                                 " is not installed (Debian: fonts-ipaexfont-gothic)");
  }
  ErrorSink sink;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(&OnError, &sink));
  if (!doc) return core::Internal("the PDF library could not start");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc.get());
  const char* font_name =
      HPDF_LoadTTFontFromFile(doc.get(), options.japanese_font_path.c_str(), HPDF_TRUE);
  if (font_name == nullptr) {
    return core::InvalidArgument("the certificate font " + options.japanese_font_path +
                                 " could not be embedded (" + Hex(sink.error) + ")");
  }
  HPDF_Font font = HPDF_GetFont(doc.get(), font_name, "UTF-8");
  Writer out(doc.get(), font);
  WriteBody(out, retirement);
  const std::string qr_url = options.inclusion
                                 ? ProofUrl(options.inclusion->proof, options.public_url)
                                 : LookupUrl(retirement, options.public_url);
  WriteInclusion(out, options.inclusion, qr_url);
  JCM_RETURN_IF_ERROR(DrawQr(out.first_page(), qr_url));
  HPDF_SaveToStream(doc.get());
  if (sink.error != HPDF_OK) {
    return core::Internal("the PDF library failed: error " + Hex(sink.error) + ", detail " +
                          std::to_string(sink.detail));
  }
  std::string bytes(HPDF_GetStreamSize(doc.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  return bytes;
}

}  // namespace jcm::service::pdf
