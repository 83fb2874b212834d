//! A tiny DOM: an XML (or XHTML) document read with quick-xml into
//! elements, attributes and text, to compare reports with their records.
//! Any well-formedness problem fails the test.

use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Debug)]
pub enum Node {
    Element(Element),
    Text(String),
}

#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out
    }

    /// Every element below this one (depth first) that `pred` accepts.
    pub fn find_all<'a>(&'a self, pred: &dyn Fn(&Element) -> bool, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if let Node::Element(e) = c {
                if pred(e) {
                    out.push(e);
                }
                e.find_all(pred, out);
            }
        }
    }

    pub fn all(&self, name: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.find_all(&|e| e.name == name, &mut out);
        out
    }

    pub fn all_with_class(&self, name: &str, class: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.find_all(&|e| e.name == name && e.has_class(class), &mut out);
        out
    }

    pub fn walk(&self, f: &mut dyn FnMut(&Element)) {
        f(self);
        for c in &self.children {
            if let Node::Element(e) = c {
                e.walk(f);
            }
        }
    }
}

/// Parses the document as XML; any well-formedness problem fails the test.
pub fn parse_xml(text: &str) -> Element {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut saw_doctype = false;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        match event {
            Event::DocType(_) => saw_doctype = true,
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().unwrap().children.push(Node::Element(el));
            }
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack
                    .last_mut()
                    .expect("an end tag without a start")
                    .children
                    .push(Node::Element(done));
            }
            Event::Text(t) => {
                let t = t.decode().unwrap().into_owned();
                stack.last_mut().unwrap().children.push(Node::Text(t));
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => match r.decode().unwrap().as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("entity &{other}; is not defined in XML"),
                    },
                };
                stack.last_mut().unwrap().children.push(Node::Text(c));
            }
            Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Decl(_) => {}
            Event::Eof => break,
        }
    }
    assert!(saw_doctype, "no doctype");
    assert_eq!(stack.len(), 1, "unclosed elements at the end");
    let mut doc = stack.pop().unwrap();
    let roots: Vec<Element> = doc
        .children
        .drain(..)
        .filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(t) => {
                assert!(t.trim().is_empty(), "text outside the root: {t:?}");
                None
            }
        })
        .collect();
    assert_eq!(roots.len(), 1, "one root element");
    roots.into_iter().next().unwrap()
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Element {
    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            (
                String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                a.unescape_value().unwrap().into_owned(),
            )
        })
        .collect();
    Element {
        name,
        attrs,
        children: Vec::new(),
    }
}
