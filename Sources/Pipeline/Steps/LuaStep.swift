import Basics

/// A team's own step, written in Lua (to be completed).
final class LuaStep: PipelineStep {
    let name: String
    let summary = "a Lua step"
    let execution = StepExecution.inOrder

    init(path: String, setup: StepSetup) throws(RunFailure) {
        name = "lua:" + path
    }
}
