// The topic layer's errors: one class per failure, each with a stable `code`
// (ERR_TIPC_*), extending TipcRxError like every error of the package. A plain
// list of classes; the transport's errors (NoRouteError, ...) are not repeated here.
import { TipcRxError } from '../../errors/index.js'

export { TipcRxError }
