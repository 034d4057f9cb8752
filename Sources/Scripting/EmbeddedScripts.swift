/// The scripts (`scripts/*.lua`) and templates (`Templates/*.yaml`) compiled into the binary by
/// the EmbedScripts plugin, so an installed `builder` needs no checkout beside it.
public enum EmbeddedScripts {
    /// Every embedded file name, sorted: `batch.lua`, `create_job.lua`, `job_template.yaml`, ...
    public static var names: [String] { EmbeddedFiles.all.keys.sorted() }

    /// The embedded Lua scripts, sorted.
    public static var scriptNames: [String] { names.filter { $0.hasSuffix(".lua") } }

    /// The source of an embedded file by its name; a script may be named without `.lua`.
    public static func source(named name: String) -> String? {
        EmbeddedFiles.all[name] ?? EmbeddedFiles.all[name + ".lua"]
    }

    /// The full name of an embedded script (`batch` -> `batch.lua`), nil when there is none.
    public static func scriptName(_ name: String) -> String? {
        let full = name.hasSuffix(".lua") ? name : name + ".lua"
        return EmbeddedFiles.all[full] == nil ? nil : full
    }

    /// The module name `require` knows an embedded script by: `batch` for `batch.lua`.
    static func moduleName(ofScript name: String) -> String {
        name.hasSuffix(".lua") ? String(name.dropLast(4)) : name
    }
}
