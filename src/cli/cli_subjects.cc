// actlog subjects erase --org ORG --subject ID: erases a data subject (DESIGN §7,
// docs/PRIVACY.md). Locally (--data DIR) it calls Store::EraseSubject and logs
// actlog.subject:erased with actor {"type":"system","id":"cli"}; with --server and an
// admin --key it posts to /v1/orgs/{org}/subjects/{subject}:erase. Either way it prints
// the receipt as JSON. Exit 0 done (also when there was nothing left to erase), 2 on
// any error.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/http_client.h"
#include "privacy/erasure.h"

namespace actlog::cli {
namespace {

struct SubjectFlags {
  std::string data_dir = "./data";
  std::string store_url;
  std::string org;
  std::string subject;
};

int PrintReceipt(const Json& receipt) {
  StatusOr<std::unique_ptr<Output>> out = Output::Open("");
  if (!out.ok()) return FailWith(out.status());
  (*out)->Write(CanonicalJson(receipt) + "\n");
  Status closed = (*out)->Close();
  return closed.ok() ? kExitOk : FailWith(closed);
}

int RunEraseLocal(const SubjectFlags& flags) {
  if (!IsValidOrgId(flags.org)) return FailWith(NotFound("no org " + flags.org));
  StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(flags.data_dir, flags.store_url);
  if (!store.ok()) return FailWith(store.status());
  StatusOr<ErasureReceipt> receipt = (*store)->EraseSubject(flags.org, flags.subject);
  if (!receipt.ok()) return FailWith(receipt.status());
  StatusOr<Event> event = ValidateEvent(privacy::ErasureEventJson(*receipt, "system", "cli"),
                                        Catalog::BuiltIn(), EventLimits{});
  if (!event.ok()) return FailWith(event.status());
  std::vector<Event> events;
  events.push_back(std::move(event).value());
  StatusOr<std::vector<AppendResult>> logged = (*store)->Append(std::move(events));
  if (!logged.ok()) return FailWith(logged.status());
  Json out = privacy::ErasureReceiptJson(*receipt);
  out.Set("event", Json::MakeObject({{"id", Json::String(logged->front().id)},
                                     {"seq", Json::Number(static_cast<double>(
                                                 logged->front().seq))}}));
  return PrintReceipt(out);
}

}  // namespace

int RunRemoteSubjects(CLI::App* cmd, const RemoteOptions& remote) {
  CLI::App* erase = cmd->get_subcommand("erase");
  std::string org = erase->get_option("--org")->as<std::string>();
  std::string subject = erase->get_option("--subject")->as<std::string>();
  StatusOr<HttpUrl> url = ParseHttpUrl(remote.server);
  if (!url.ok()) return FailWith(url.status());
  HttpClient client(*url, remote.key);
  StatusOr<HttpReply> reply = client.Request(
      "POST", "/v1/orgs/" + UrlEncode(org) + "/subjects/" + UrlEncode(subject) + ":erase");
  if (!reply.ok()) return FailWith(reply.status());
  if (reply->status != 200) {
    PrintError(DescribeHttpError(*reply));
    return kExitUsage;
  }
  StatusOr<Json> receipt = ParseJson(reply->body);
  if (!receipt.ok()) return FailWith(receipt.status());
  return PrintReceipt(*receipt);
}

Command RegisterSubjectsCommand(CLI::App* app) {
  auto flags = std::make_shared<SubjectFlags>();
  CLI::App* cmd = app->add_subcommand("subjects", "Personal data of data subjects");
  cmd->require_subcommand(1);
  CLI::App* erase = cmd->add_subcommand(
      "erase", "Erase a data subject's personal data in an org, for good (prints a receipt)");
  erase->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  AddStoreFlag(erase, &flags->store_url);
  erase->add_option("--org", flags->org, "Organisation")->required();
  erase->add_option("--subject", flags->subject, "The subject: an actor or target id")
      ->required()
      ->check([](const std::string& s) { return s.empty() ? "the subject is empty" : ""; });
  return Command{cmd, [flags] { return RunEraseLocal(*flags); }};
}

}  // namespace actlog::cli
