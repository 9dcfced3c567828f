#pragma once
// The object stores of --attachments-url and --exports-url (src/objects): file:// stores sign
// with a key kept in the data directory (created on first use), s3:// stores share one
// credentials provider (the AWS default chain).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "cli/config.hpp"
#include "domain/clock.hpp"
#include "objects/file_store.hpp"

namespace oms::cli {

struct ObjectStores {
  std::unique_ptr<objects::ObjectStore> attachments;
  objects::FileStore* attachments_file = nullptr;  // set when attachments are file://
  std::unique_ptr<objects::ObjectStore> exports;
  objects::FileStore* exports_file = nullptr;  // set when exports are file://
  // "http://127.0.0.1:<port>": where file:// URLs point; set once the server listens.
  std::shared_ptr<std::string> origin = std::make_shared<std::string>("http://127.0.0.1");
};

ObjectStores open_object_stores(const Config& config, boost::asio::any_io_executor executor,
                                const domain::Clock& clock);

}  // namespace oms::cli
