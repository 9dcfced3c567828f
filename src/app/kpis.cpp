#include "app/kpis.hpp"

namespace oms::app {

Kpis& kpis() {
  static Kpis all;
  return all;
}

}  // namespace oms::app
