fn main() -> std::process::ExitCode {
    starling_loadgen::cli::main()
}
