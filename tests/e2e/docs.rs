//! SECURITY.md names the test behind every protection; a renamed or removed test
//! must not leave a claim without proof.

use std::collections::BTreeMap;
use std::path::Path;

/// Test functions of this suite, by module.
fn e2e_tests() -> BTreeMap<String, Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let mut tests = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let module = path.file_stem().unwrap().to_str().unwrap().to_string();
        let source = std::fs::read_to_string(&path).unwrap();
        let names = source
            .split("#[test]")
            .skip(1)
            .filter_map(|rest| {
                let after = rest.trim_start().strip_prefix("fn ")?;
                Some(after.split('(').next()?.trim().to_string())
            })
            .collect();
        tests.insert(module, names);
    }
    tests
}

#[test]
fn every_e2e_test_security_md_names_exists() {
    let security =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("SECURITY.md")).unwrap();
    let tests = e2e_tests();
    let mut checked = 0;
    let mut missing = Vec::new();
    // References look like `module::test_name`, `module::prefix_...` or `module::*`.
    for quoted in security.split('`').skip(1).step_by(2) {
        let Some((module, name)) = quoted.split_once("::") else {
            continue;
        };
        let Some(names) = tests.get(module).filter(|_| !name.contains("::")) else {
            continue; // a unit-test module of the library, not this suite
        };
        checked += 1;
        let found = match name.strip_suffix("...") {
            _ if name == "*" => !names.is_empty(),
            Some(prefix) => names.iter().any(|n| n.starts_with(prefix)),
            None => names.iter().any(|n| n == name),
        };
        if !found {
            missing.push(quoted.to_string());
        }
    }
    assert!(
        checked > 20,
        "only {checked} references found: is the scan broken?"
    );
    assert!(
        missing.is_empty(),
        "SECURITY.md names tests that do not exist: {missing:?}"
    );
}
